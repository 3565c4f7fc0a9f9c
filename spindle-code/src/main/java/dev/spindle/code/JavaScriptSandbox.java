package dev.spindle.code;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import io.roastedroot.quickjs4j.core.Engine;
import io.roastedroot.quickjs4j.core.GuestException;
import io.roastedroot.quickjs4j.core.Runner;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import run.endive.runtime.ByteArrayMemory;
import run.endive.wasm.types.MemoryLimits;
import tools.jackson.databind.node.StringNode;

/**
 * JavaScript in QuickJS (quickjs4j, on Endive): a fresh engine per run, no require, process, fetch or
 * timers, and the session's files only through the {@code fs} object of {@link JavaScriptFiles}.
 */
final class JavaScriptSandbox implements Sandbox {
    /** 1024 pages of 64 KiB: QuickJS answers "out of memory" past that. */
    private static final int MAX_PAGES = 1024;

    /**
     * Runs before the code: replaces the raw host module by {@code fs}, whose calls answer an {@code Error}
     * value instead of throwing, then runs the code by indirect eval (global scope, and a syntax error is
     * catchable). An uncaught exception is printed with its stack and ends the run with exit code 1, as
     * node would; running out of memory is left uncaught, so that the run fails as a whole.
     */
    private static final String PRELUDE = """
            (() => {
              const host = globalThis.%1$s;
              delete globalThis.%1$s;
              const answer = (reply) => ('error' in reply ? new Error(reply.error) : reply.value);
              globalThis.fs = Object.freeze({
                readFile: (path) => answer(host.readFile(String(path))),
                writeFile: (path, content) => answer(host.writeFile(String(path), String(content))),
                listDir: (path) => answer(host.listDir(path === undefined ? '/' : String(path))),
                exists: (path) => answer(host.exists(String(path))),
              });
              globalThis.%2$s = host.failed;
            })();
            try {
              (0, eval)(%3$s);
            } catch (e) {
              if (e instanceof InternalError && e.message === 'out of memory') throw e;
              console.error(e instanceof Error ? `${e.name}: ${e.message}\\n${e.stack || ''}`.trimEnd() : `Uncaught ${String(e)}`);
              %2$s(1);
            }
            """;

    @Override
    public RunOutcome run(SessionFiles files, String code, Duration timeout) {
        CappedOutput stdout = new CappedOutput(CappedOutput.DEFAULT_CAP);
        CappedOutput stderr = new CappedOutput(CappedOutput.DEFAULT_CAP);
        AtomicInteger exitCode = new AtomicInteger();
        long start = System.nanoTime();
        Engine engine = Engine.builder()
                .addBuiltins(JavaScriptFiles.builtins(files, exitCode::set))
                .withStdout(stdout).withStderr(stderr)
                .withMemoryFactory(limits -> new ByteArrayMemory(new MemoryLimits(limits.initialPages(), MAX_PAGES)))
                .build();
        String script = PRELUDE.formatted(JavaScriptFiles.MODULE, JavaScriptFiles.MODULE + "_exit", Json.write(StringNode.valueOf(code)));
        try (Runner runner = Runner.builder().withEngine(engine).withTimeoutMs((int) timeout.toMillis()).build()) {
            runner.compileAndExec(script);
        } catch (GuestException e) {
            // the prelude catches what the code throws: what reaches here is QuickJS itself giving up
            throw new SpindleException(ErrorType.ComponentFailed, stderr.text().contains("out of memory")
                    ? "The JavaScript run ran out of memory (limit " + MAX_PAGES / 16 + " MiB)"
                    : "The JavaScript engine failed");
        } catch (RuntimeException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new SpindleException(ErrorType.Timeout, "The JavaScript run took longer than " + timeout.toMillis() + " ms and was stopped");
            }
            throw e;
        }
        return new RunOutcome(stdout, stderr, exitCode.get(), (System.nanoTime() - start) / 1_000_000);
    }
}
