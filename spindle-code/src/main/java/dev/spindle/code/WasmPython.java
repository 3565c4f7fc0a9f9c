package dev.spindle.code;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.PathPolicy;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.wasm.WarmUp;
import dev.spindle.wasm.Watchdog;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Python in CPython 3.13 compiled to WebAssembly: the module is loaded once per process ({@link WarmUp},
 * never on a run's clock); a run gets a fresh {@link PythonInstance}, or
 * the session's kept one when it asks to keep state. Files the code leaves behind are written back to the
 * session after the run, as a WebAssembly component's are.
 */
final class WasmPython implements StatefulInterpreter {
    /** Loads the module and runs a first interpreter, once per process; every run waits for it outside its timeout. */
    private static final WarmUp LOAD = new WarmUp("The Python interpreter", () -> {
        try (PythonInstance python = new PythonInstance(new SessionFiles(new MemoryStore(), "warm-up", PathPolicy.defaults(), Quotas.DEFAULTS))) {
            python.start();
            python.execute("import json, re\njson.dumps(re.findall('a', 'banana'))");
        }
    });

    private static final Duration START_LIMIT = CodeComponent.MAX_TIMEOUT;

    private final KeptPythons kept;

    WasmPython(int maxKept) {
        this.kept = new KeptPythons(maxKept);
    }

    @Override
    public RunOutcome run(String sessionId, String incarnation, SessionFiles files, String code, Duration timeout) {
        LOAD.await();
        try (PythonInstance python = new PythonInstance(files)) {
            start(python);
            RunOutcome outcome = watched(timeout, "The Python run", () -> python.execute(code));
            python.writeBack();
            return outcome;
        }
    }

    @Override
    public RunOutcome runKept(String sessionId, String incarnation, SessionFiles files, String code, Duration timeout) {
        LOAD.await();
        return kept.use(sessionId, incarnation, slot -> {
            if (slot.python == null) {
                slot.python = new PythonInstance(files);
                start(slot.python);
            } else {
                slot.python.refresh(files);
            }
            RunOutcome outcome = watched(timeout, "The Python run", () -> slot.python.execute(code));
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
     * Starts the interpreter, outside the call's timeout: a fresh one takes tens of milliseconds, a second
     * on a busy machine, and none of it is the code's. It runs no code of the call, but could run a session's
     * {@code guest} package, so it has a budget of its own, the longest any call may take.
     */
    private static void start(PythonInstance python) {
        watched(START_LIMIT, "Starting the Python interpreter", () -> {
            python.start();
            return null;
        });
    }

    /**
     * Runs under a watchdog: past the timeout a {@code Timeout}, the interpreter breaking a
     * {@code ComponentFailed}. Never the write-back: that is host work, which an interrupt arriving just as
     * the code ended would break (jimfs closes a channel an interrupted thread reads).
     */
    private static <T> T watched(Duration timeout, String what, Supplier<T> run) {
        try (Watchdog watchdog = Watchdog.start(timeout)) {
            try {
                return run.get();
            } catch (SpindleException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                if (watchdog.fired()) {
                    throw new SpindleException(ErrorType.Timeout, what + " took longer than " + timeout.toMillis() + " ms and was stopped");
                }
                throw new SpindleException(ErrorType.ComponentFailed, "The Python interpreter failed");
            }
        }
    }
}
