package dev.spindle.wasm;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.text.CappedOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;
import run.endive.compiler.MachineFactoryCompiler;
import run.endive.runtime.ImportValues;
import run.endive.runtime.Instance;
import run.endive.runtime.Machine;
import run.endive.wasi.WasiExitException;
import run.endive.wasi.WasiOptions;
import run.endive.wasi.WasiPreview1;
import run.endive.wasm.Parser;
import run.endive.wasm.WasmModule;
import run.endive.wasm.types.MemoryLimits;

/**
 * A WASI preview 1 command module, compiled once to JVM bytecode (Endive), run as a fresh instance per
 * call: nothing survives from one run to the next. A run gets stdin, the environment it is given and
 * nothing else (no files, no network, no clock beyond WASI's); it is stopped past its time limit
 * ({@code Timeout}), cannot grow memory past its cap, and its stdout is capped.
 */
public final class WasmProgram {
    private static final Logger LOG = Logger.getLogger(WasmProgram.class.getName());
    private static final int PAGE = 64 * 1024;
    private static final int STDERR_EXCERPT = 500;

    private final String name;
    private final WasmModule module;
    private final Function<Instance, Machine> machine;

    /** What one run produced. */
    public record Outcome(int exitCode, byte[] stdout) {}

    private WasmProgram(String name, WasmModule module, Function<Instance, Machine> machine) {
        this.name = name;
        this.module = module;
        this.machine = machine;
    }

    /** Parses and compiles {@code file}; a missing or corrupt file fails with a message naming it. */
    public static WasmProgram load(Path file) {
        WasmModule module;
        try {
            module = Parser.parse(file);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a WebAssembly module: " + e.getMessage(), e);
        }
        Function<Instance, Machine> machine;
        try {
            machine = MachineFactoryCompiler.compile(module);
        } catch (RuntimeException e) {
            LOG.warning("event=wasm_compile_failed module=" + file + " fallback=interpreter error=\"" + e.getMessage() + "\"");
            machine = null;
        }
        return new WasmProgram(file.getFileName().toString(), module, machine);
    }

    /**
     * Runs the module's {@code _start} once.
     *
     * @param timeout wall-clock limit; past it the run is interrupted and fails with {@code Timeout}
     * @param maxMemoryBytes cap on linear memory; growing past it fails the run ({@code ComponentFailed})
     * @param maxStdoutBytes output past this fails the run ({@code ComponentFailed})
     */
    public Outcome run(byte[] stdin, Map<String, String> environment, Duration timeout, long maxMemoryBytes, int maxStdoutBytes) {
        return run(stdin, environment, null, null, timeout, maxMemoryBytes, maxStdoutBytes);
    }

    /**
     * As above, with {@code workspace} (a directory of an in-memory filesystem) preopened as
     * {@code /workspace}, and {@code outbound} linked as the module's one way to the network (both optional).
     */
    Outcome run(byte[] stdin, Map<String, String> environment, Path workspace, OutboundHttp outbound, Duration timeout,
            long maxMemoryBytes, int maxStdoutBytes) {
        CappedOutput stdout = new CappedOutput(maxStdoutBytes, true);
        CappedOutput stderr = new CappedOutput(16 * 1024, false); // kept for the log, never fatal
        WasiOptions.Builder options = WasiOptions.builder().withStdin(new ByteArrayInputStream(stdin)).withStdout(stdout).withStderr(stderr);
        environment.forEach(options::withEnvironment);
        if (workspace != null) {
            options.withDirectory(Workspace.GUEST_PATH, workspace);
        }
        Watchdog watchdog = Watchdog.start(timeout);
        int exitCode = 0;
        String outcome = "failed";
        try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(options.build()).build()) {
            Instance.Builder instance = Instance.builder(module)
                    .withImportValues(imports(wasi, outbound))
                    .withMemoryLimits(limits(maxMemoryBytes));
            if (machine != null) {
                instance.withMachineFactory(machine);
            }
            instance.build();
            outcome = "exit 0";
        } catch (WasiExitException exit) {
            exitCode = exit.exitCode();
            outcome = "exit " + exitCode;
        } catch (SpindleException refused) {
            throw refused; // a host function's verdict (NotAllowed, Timeout) stands as it is
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            if (watchdog.fired()) {
                outcome = "timeout";
                throw new SpindleException(ErrorType.Timeout, name + " ran past its limit of " + timeout.toMillis() + " ms and was stopped");
            }
            if (stdout.overflowed) {
                throw new SpindleException(ErrorType.ComponentFailed, name + " wrote more than " + maxStdoutBytes + " bytes to stdout");
            }
            throw new SpindleException(ErrorType.ComponentFailed, name + " failed: " + describe(e));
        } finally {
            watchdog.close();
            logStderr(stderr, outcome);
        }
        if (stdout.overflowed) {
            throw new SpindleException(ErrorType.ComponentFailed, name + " wrote more than " + maxStdoutBytes + " bytes to stdout");
        }
        return new Outcome(exitCode, stdout.toByteArray());
    }

    /** What a module says on stderr is for its developer: logged whatever the run's outcome, a timeout or trap included. */
    private void logStderr(CappedOutput stderr, String outcome) {
        if (stderr.isEmpty()) {
            return;
        }
        String text = stderr.toString().strip().replaceAll("\\s+", " ");
        String excerpt = text.length() <= STDERR_EXCERPT ? text : text.substring(0, STDERR_EXCERPT) + "...";
        LOG.info(() -> "event=component_stderr module=" + name + " outcome=\"" + outcome + "\" text=\"" + excerpt + "\"");
    }

    private static ImportValues imports(WasiPreview1 wasi, OutboundHttp outbound) {
        ImportValues.Builder imports = ImportValues.builder().addFunction(wasi.toHostFunctions());
        if (outbound != null) {
            imports.addFunction(outbound.hostFunction());
        }
        return imports.build();
    }

    /** The cap in pages, but never below what the module declares it starts with. */
    private MemoryLimits limits(long maxMemoryBytes) {
        int initial = module.memorySection().map(m -> m.getMemory(0).limits().initialPages()).orElse(0);
        int max = (int) Math.max(initial, maxMemoryBytes / PAGE);
        return new MemoryLimits(initial, max);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }

    /** Collects output up to a cap, then drops the rest and remembers that it did. */
    private static final class CappedOutput extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int cap;
        private final boolean fatal;
        boolean overflowed;

        CappedOutput(int cap, boolean fatal) {
            this.cap = cap;
            this.fatal = fatal;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        /** Past the cap a fatal stream fails the write, which stops the module (it could write on forever). */
        @Override
        public void write(byte[] b, int off, int len) {
            int room = cap - bytes.size();
            bytes.write(b, off, Math.max(0, Math.min(len, room)));
            if (len > room && fatal) {
                overflowed = true;
                throw new UncheckedIOException(new IOException("output limit of " + cap + " bytes reached"));
            }
        }

        boolean isEmpty() {
            return bytes.size() == 0;
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }

        @Override
        public String toString() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
