package dev.spindle.code;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.text.CappedOutput;
import dev.spindle.wasm.Workspace;
import io.trino.wasm.python.Python;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import run.endive.runtime.HostFunction;
import run.endive.runtime.ImportValues;
import run.endive.runtime.Instance;
import run.endive.runtime.Memory;
import run.endive.wasi.WasiExitException;
import run.endive.wasi.WasiOptions;
import run.endive.wasi.WasiPreview1;
import run.endive.wasm.WasmModule;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;

/**
 * One CPython instance (trino-wasm-python, a pre-initialised reactor that imports module {@code guest}
 * from its one preopened directory): the session's files are mounted at {@code /guest}, with a small entry
 * module beside them only while {@code setup} imports it. Set up once, it then runs code: once for a
 * fresh run, call after call when a session keeps it. One thread at a time.
 */
final class PythonInstance implements AutoCloseable {
    private static final String MOUNT = "/guest";
    private static final String ENTRY = "guest.py";
    private static final String PACKAGE = "guest";
    private static final String BYTECODE_CACHE = "__pycache__";

    /**
     * The entry module: runs the code as {@code __main__} (in the same globals on each call) from the session's directory, prints an uncaught
     * exception's traceback as python would and answers the exit code. Running out of memory is passed on
     * to the host, so that the run fails as a whole.
     */
    private static final String ENTRY_SOURCE = """
            import os, sys, traceback
            sys.dont_write_bytecode = True
            # the code's globals: a kept instance runs each call of its session in them
            main = {'__name__': '__main__', '__builtins__': __builtins__}

            def run(code):
                os.chdir('/guest')
                status = 0
                try:
                    exec(compile(code, '<code>', 'exec'), main)
                except MemoryError:
                    raise
                except SystemExit as e:
                    status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
                    if not isinstance(e.code, (int, type(None))):
                        print(e.code, file=sys.stderr)
                    if not -2**63 <= status < 2**63:
                        status = -1  # as CPython does past a C long
                except BaseException as e:
                    # without this module's own frame: the traceback starts in the code, as python's would
                    traceback.print_exception(type(e), e, e.__traceback__.tb_next)
                    status = 1
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                return status
            """;

    /** Trino's type descriptors (little-endian ints): ROW(VARCHAR) in, BIGINT out. */
    private static final int ROW = 0;
    private static final int BIGINT = 4;
    private static final int VARCHAR = 11;

    /** Parsed once per process, by the first run ({@link WasmPython}'s warm-up): 0.6-2 s, more on a busy machine. */
    private static final class Module {
        static final WasmModule PYTHON = Python.load();
    }

    private final Workspace workspace;
    private final ReportedError error = new ReportedError();
    private final Redirect stdout = new Redirect();
    private final Redirect stderr = new Redirect();
    /** Null until {@link #start}. */
    private WasiPreview1 wasi;
    private Guest guest;
    /** Set when the code ended the interpreter itself ({@code os._exit}): it cannot run again. */
    private boolean exited;

    /** The session's files mounted for the module; {@link #start} then instantiates the module. */
    PythonInstance(SessionFiles files) {
        this.workspace = new Workspace(files, MOUNT);
    }

    /** Instantiates the module over the mounted files and imports the entry module; once, before the first {@link #execute}. */
    void start() {
        Path root = workspace.root();
        Entry entry = new Entry(root);
        WasiOptions options = WasiOptions.builder().withStdout(stdout).withStderr(stderr).withDirectory(MOUNT, root).build();
        this.wasi = WasiPreview1.builder().withOptions(options).build();
        Instance instance = Instance.builder(Module.PYTHON).withMachineFactory(Python::create).withStart(false)
                .withImportValues(ImportValues.builder().addFunction(WasiErrors.answered(wasi.toHostFunctions())).addFunction(error.hostFunction()).build())
                .build();
        this.guest = new Guest(instance);
        guest.setup();
        entry.remove();
    }

    /** Mounts the session's files as they are now, for a kept instance's next run. */
    void refresh(SessionFiles files) {
        workspace.refresh(files);
    }

    /** Runs the code; a watchdog may interrupt it. What the code changed stays in the mounted files until {@link #writeBack}. */
    RunOutcome execute(String code) {
        CappedOutput out = new CappedOutput(CappedOutput.DEFAULT_CAP);
        CappedOutput err = new CappedOutput(CappedOutput.DEFAULT_CAP);
        stdout.target = out;
        stderr.target = err;
        error.message = null;
        long exitCode;
        try {
            exitCode = guest.execute(code);
        } catch (WasiExitException e) { // os._exit(n): the process ends there, with what it printed and wrote so far
            exited = true;
            exitCode = e.exitCode();
        }
        if (error.message != null) {
            throw new SpindleException(ErrorType.ComponentFailed, error.message.contains("MemoryError")
                    ? "The Python run ran out of memory" : "The Python interpreter failed: " + error.message);
        }
        return new RunOutcome(out, err, (int) exitCode & 0xFF); // as a shell sees a process's status: sys.exit(-1) is 255
    }

    /** Writes back to the session what the runs changed in the mounted files. */
    void writeBack() {
        workspace.writeBack();
    }

    /** True once the code ended the interpreter ({@code os._exit}); a kept instance is then dropped. */
    boolean exited() {
        return exited;
    }

    @Override
    public void close() {
        try {
            if (wasi != null) {
                wasi.close();
            }
        } finally {
            workspace.close();
        }
    }

    /** The instance's stdout or stderr, pointed at each run's own capped output. */
    private static final class Redirect extends OutputStream {
        OutputStream target = OutputStream.nullOutputStream();

        @Override
        public void write(int b) throws IOException {
            target.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
        }
    }

    /**
     * The entry module beside the session's files, for {@code setup} only: a session's own {@code guest.py}
     * is kept, and its own {@code guest} package moved aside meanwhile, since {@code import guest} would
     * find a package first (and run its code before any run's timeout starts).
     */
    private static final class Entry {
        private final Path file;
        private final byte[] sessionsOwn;
        private final Path sessionsPackage;
        private final Path aside;
        private final boolean cacheExisted;

        Entry(Path root) {
            this.file = root.resolve(ENTRY);
            this.sessionsPackage = root.resolve(PACKAGE);
            this.aside = root.resolve(".spindle-aside-" + UUID.randomUUID());
            try {
                this.sessionsOwn = Files.exists(file) ? Files.readAllBytes(file) : null;
                this.cacheExisted = Files.exists(root.resolve(BYTECODE_CACHE));
                if (Files.isDirectory(sessionsPackage)) {
                    Files.move(sessionsPackage, aside);
                }
                Files.writeString(file, ENTRY_SOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void remove() {
            try {
                if (sessionsOwn == null) {
                    Files.delete(file);
                } else {
                    Files.write(file, sessionsOwn);
                }
                if (Files.exists(aside)) {
                    Files.move(aside, sessionsPackage);
                }
                Path cache = file.resolveSibling(BYTECODE_CACHE);
                if (!cacheExisted && Files.exists(cache)) {
                    try (Stream<Path> walk = Files.walk(cache)) {
                        for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(path);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The reactor's exports: {@code setup} finds {@code guest.run}, {@code execute} calls it with the code. */
    private static final class Guest {
        private final Instance instance;
        private final Memory memory;

        Guest(Instance instance) {
            this.instance = instance;
            this.memory = instance.memory();
        }

        void setup() {
            int name = write(cString("run"));
            int argumentTypes = write(ints(ROW, 1, VARCHAR, Integer.MAX_VALUE));
            int returnType = write(ints(BIGINT));
            instance.export("setup").apply(name, argumentTypes, returnType);
        }

        /** The code as a present row of one present VARCHAR; answers the BIGINT result, or 1 when the guest reported an error. */
        long execute(String code) {
            byte[] text = code.getBytes(StandardCharsets.UTF_8);
            ByteBuffer row = ByteBuffer.allocate(2 + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
            row.put((byte) 1).put((byte) 1).putInt(text.length).put(text);
            int arguments = write(row.array());
            long result = instance.export("execute").apply(arguments)[0];
            if (result == 0) {
                return 1;
            }
            int size = memory.readInt((int) result);
            byte[] value = memory.readBytes((int) result + 4, size);
            return value[0] == 0 ? 0 : ByteBuffer.wrap(value, 1, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }

        private int write(byte[] bytes) {
            int address = (int) instance.export("allocate").apply(bytes.length)[0];
            memory.write(address, bytes);
            return address;
        }

        private static byte[] cString(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(bytes.length + 1).put(bytes).array();
        }

        private static byte[] ints(int... values) {
            ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int value : values) {
                buffer.putInt(value);
            }
            return buffer.array();
        }
    }

    /** {@code trino.return_error}: how the guest reports a failure outside the code (setup, a MemoryError). */
    private static final class ReportedError {
        String message;

        HostFunction hostFunction() {
            return new HostFunction("trino", "return_error", FunctionType.of(List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of()),
                    (instance, args) -> {
                        Memory memory = instance.memory();
                        message = memory.readString((int) args[1], (int) args[2]);
                        if (args[3] != 0) {
                            message += "\n" + memory.readString((int) args[3], (int) args[4]);
                        }
                        return null;
                    });
        }
    }
}
