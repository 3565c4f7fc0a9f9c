package dev.spindle.code;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.wasm.Watchdog;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Python in CPython 3.13 compiled to WebAssembly: the module is loaded once per process; a run gets a
 * fresh {@link PythonInstance}, or the session's kept one when it asks to keep state. Files the code
 * leaves behind are written back to the session after the run, as a WebAssembly component's are.
 */
final class PythonSandbox implements StatefulSandbox {
    private final KeptPythons kept;

    PythonSandbox(int maxKept) {
        this.kept = new KeptPythons(maxKept);
    }

    @Override
    public RunOutcome run(SessionFiles files, String code, Duration timeout) {
        try (PythonInstance python = new PythonInstance(files)) {
            RunOutcome outcome = watched(timeout, () -> python.execute(code));
            python.writeBack();
            return outcome;
        }
    }

    @Override
    public RunOutcome runKept(String sessionId, SessionFiles files, String code, Duration timeout) {
        return kept.use(sessionId, slot -> {
            if (slot.python == null) {
                slot.python = new PythonInstance(files);
            } else {
                slot.python.refresh(files);
            }
            RunOutcome outcome = watched(timeout, () -> slot.python.execute(code));
            slot.python.writeBack();
            if (slot.python.exited()) {
                slot.closeInstance(); // os._exit ended that interpreter: the next kept run starts a fresh one
            }
            return outcome;
        });
    }

    @Override
    public void forget(String sessionId) {
        kept.remove(sessionId);
    }

    /**
     * Runs the code under a watchdog: past the timeout a {@code Timeout}, the interpreter breaking a
     * {@code ComponentFailed}. Only the code: writing its files back is host work, which an interrupt
     * arriving just as the code ended would break (jimfs closes a channel an interrupted thread reads).
     */
    private static RunOutcome watched(Duration timeout, Supplier<RunOutcome> run) {
        try (Watchdog watchdog = Watchdog.start(timeout)) {
            try {
                return run.get();
            } catch (SpindleException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                if (watchdog.fired()) {
                    throw new SpindleException(ErrorType.Timeout, "The Python run took longer than " + timeout.toMillis() + " ms and was stopped");
                }
                throw new SpindleException(ErrorType.ComponentFailed, "The Python interpreter failed");
            }
        }
    }
}
