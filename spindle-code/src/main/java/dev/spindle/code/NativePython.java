package dev.spindle.code;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.text.CappedOutput;
import dev.spindle.sandbox.Sandbox;
import dev.spindle.sandbox.Sandboxes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code run_python} on the sandbox's own {@code python3}: the packages of the root (Debian's numpy, pandas,
 * pytest...), native speed, the session's workspace as the working directory. The code runs as
 * {@code __main__} from {@code <code>}, as in the WebAssembly backend, so tracebacks read the same. With
 * {@code keep_state}, each session keeps one kernel process (the least recently used goes past the cap)
 * that runs its calls in the same globals.
 */
final class NativePython implements StatefulInterpreter {
    private static final int OUTPUT_CAP = 64 * 1024;
    private static final Duration KERNEL_START = Duration.ofSeconds(30);

    /** What one run and the kernel share: run code as __main__ and answer the exit status, traceback without our frame. */
    private static final String RUN = """
            import os, sys, traceback
            sys.dont_write_bytecode = True
            def run(code, main):
                status = 0
                try:
                    exec(compile(code, '<code>', 'exec'), main)
                except SystemExit as e:
                    status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
                    if not isinstance(e.code, (int, type(None))):
                        print(e.code, file=sys.stderr)
                except BaseException as e:
                    traceback.print_exception(type(e), e, e.__traceback__.tb_next)
                    status = 1
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                return status
            """;
    private static final String ONCE = RUN + """
            with open('/run/spindle/code.py', encoding='utf-8') as f:
                source = f.read()
            status = run(source, {'__name__': '__main__', '__builtins__': __builtins__})
            os._exit(status & 0xff if 0 <= status < 256 else 1)
            """;
    /** One request a line ({code}), one answer a line ({exit_code}); the code's output goes to files in the control directory. */
    private static final String KERNEL = RUN + """
            import json
            main = {'__name__': '__main__', '__builtins__': __builtins__}
            requests = os.fdopen(os.dup(0), 'r', encoding='utf-8')
            answers = os.fdopen(os.dup(1), 'w', encoding='utf-8')
            quiet = os.open('/dev/null', os.O_RDWR)
            os.dup2(quiet, 0)
            answers.write('ready\\n'); answers.flush()
            for line in requests:
                code = json.loads(line)['code']
                for fd, name in ((1, 'kernel.out'), (2, 'kernel.err')):
                    out = os.open('/run/spindle/' + name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    os.dup2(out, fd)
                    os.close(out)
                os.chdir('/workspace')
                status = run(code, main)
                os.dup2(quiet, 1)
                os.dup2(quiet, 2)
                answers.write(json.dumps({'exit_code': status}) + '\\n'); answers.flush()
            """;

    private final Sandboxes sandboxes;
    private final int maxKernels;
    /** The kernels running, least recently used first; each also belongs to its session's workspace, and goes with it. */
    private final Map<Kernel, Boolean> running = new LinkedHashMap<>(16, 0.75f, true);

    NativePython(Sandboxes sandboxes, int maxKernels) {
        this.sandboxes = sandboxes;
        this.maxKernels = maxKernels;
    }

    @Override
    public RunOutcome run(String sessionId, String incarnation, SessionFiles files, String code, Duration timeout) {
        requirePython();
        return sandboxes.inSession(sessionId, incarnation, files, session -> {
            write(session.control().resolve("code.py"), code);
            Sandbox.Run run = session.run(List.of("/usr/bin/python3", "-B", "-s", "-c", ONCE), timeout, OUTPUT_CAP);
            if (run.timedOut()) {
                throw timedOut(timeout);
            }
            return new RunOutcome(run.stdout(), run.stderr(), run.exitCode());
        }).value();
    }

    @Override
    public RunOutcome runKept(String sessionId, String incarnation, SessionFiles files, String code, Duration timeout) {
        requirePython();
        return sandboxes.inSession(sessionId, incarnation, files, session -> {
            Kernel kernel = session.attachment("python-kernel", () -> new Kernel(this));
            return kernel.call(session, code, timeout);
        }).value();
    }

    /** A kernel started: past the cap, the least recently used other one stops (its session's next call starts afresh). */
    private void started(Kernel kernel) {
        List<Kernel> stopping = new java.util.ArrayList<>();
        synchronized (running) {
            running.put(kernel, true);
            var oldest = running.keySet().iterator();
            while (running.size() > maxKernels && oldest.hasNext()) {
                Kernel candidate = oldest.next();
                if (candidate != kernel) {
                    oldest.remove();
                    stopping.add(candidate);
                }
            }
        }
        stopping.forEach(Kernel::close);
    }

    private void used(Kernel kernel) {
        synchronized (running) {
            running.get(kernel);
        }
    }

    private void stopped(Kernel kernel) {
        synchronized (running) {
            running.remove(kernel);
        }
    }

    /** The session's kernel goes with its workspace, which the session's close drops. */
    @Override
    public void forget(String sessionId) {
        sandboxes.forget(sessionId);
    }

    private void requirePython() {
        Sandbox sandbox = sandboxes.require("run_python");
        if (sandbox.root().find("python3").isEmpty()) {
            throw new SpindleException(ErrorType.ComponentFailed, "run_python cannot run: the sandbox root (" + sandbox.root().describe() + ") has no python3");
        }
    }

    private static SpindleException timedOut(Duration timeout) {
        return new SpindleException(ErrorType.Timeout, "The Python run took longer than " + timeout.toMillis() + " ms and was stopped");
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new SpindleException(ErrorType.IOError, "cannot hand the code to the sandbox: " + e.getMessage());
        }
    }

    /**
     * One session's kept interpreter: started on its first call (the start does not count against the call's
     * time), stopped on a timeout, a crash, past the cap, or with its workspace.
     */
    private static final class Kernel implements AutoCloseable {
        private final NativePython owner;
        private Sandbox.Live live;
        private BlockingQueue<String> answers;

        Kernel(NativePython owner) {
            this.owner = owner;
        }

        synchronized RunOutcome call(Sandboxes.Session session, String code, Duration timeout) {
            if (live == null || !live.alive()) {
                start(session);
                owner.started(this);
            } else {
                owner.used(this);
            }
            try {
                OutputStream input = live.input();
                input.write((Json.write(Json.object().put("code", code)) + "\n").getBytes(StandardCharsets.UTF_8));
                input.flush();
                String answer = answers.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (answer == null) {
                    stop();
                    throw timedOut(timeout);
                }
                CappedOutput stdout = read(session.control().resolve("kernel.out"));
                CappedOutput stderr = read(session.control().resolve("kernel.err"));
                if (answer.equals(EOF)) { // the code ended the interpreter itself (os._exit, a crash): its state is gone
                    stop();
                    return new RunOutcome(stdout, stderr, 1);
                }
                int exitCode = Json.parse(answer).path("exit_code").asInt(1);
                return new RunOutcome(stdout, stderr, exitCode);
            } catch (IOException e) {
                stop();
                throw new SpindleException(ErrorType.ComponentFailed, "the kept Python interpreter stopped answering: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new SpindleException(ErrorType.Timeout, "interrupted");
            }
        }

        private static final String EOF = "\u0000eof";

        private void start(Sandboxes.Session session) {
            live = session.start(List.of("/usr/bin/python3", "-B", "-s", "-u", "-c", KERNEL), OUTPUT_CAP);
            answers = new ArrayBlockingQueue<>(4);
            BufferedReader reader = new BufferedReader(new InputStreamReader(live.output(), StandardCharsets.UTF_8));
            BlockingQueue<String> queue = answers;
            Thread.ofVirtual().name("python-kernel").start(() -> {
                try {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        queue.put(line);
                    }
                } catch (IOException | InterruptedException e) {
                    // the kernel is gone
                }
                queue.offer(EOF);
            });
            try {
                String ready = answers.poll(KERNEL_START.toNanos(), TimeUnit.NANOSECONDS);
                if (!"ready".equals(ready)) {
                    String why = live.stderr().text().strip();
                    stop();
                    throw new SpindleException(ErrorType.ComponentFailed, "the kept Python interpreter did not start" + (why.isEmpty() ? "" : ": " + why));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new SpindleException(ErrorType.ComponentFailed, "interrupted while the kept Python interpreter started");
            }
        }

        synchronized void stop() {
            if (live != null) {
                live.close();
                live = null;
                owner.stopped(this);
            }
        }

        @Override
        public void close() {
            stop();
        }

        private static CappedOutput read(Path file) throws IOException {
            CappedOutput out = new CappedOutput(OUTPUT_CAP);
            if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (var in = Files.newInputStream(file)) {
                    in.transferTo(out);
                }
            }
            return out;
        }
    }
}
