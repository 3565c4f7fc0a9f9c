package dev.spindle.code;

import dev.spindle.core.Json;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.text.CappedOutput;
import dev.spindle.wasm.QuickJs;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.StringNode;

/**
 * JavaScript in {@link QuickJs}: the session's files only through the {@code fs} object of
 * {@link JavaScriptFiles}.
 */
final class WasmJavaScript implements Interpreter {
    /**
     * Runs before the code: replaces the raw host module by {@code fs}, whose calls answer an {@code Error}
     * value instead of throwing, then runs the code by indirect eval (global scope, and a syntax error is
     * catchable). An uncaught exception is printed with its stack and ends the run with exit code 1, as
     * node would; running out of memory is left uncaught, so that the run fails as a whole. Stacks show
     * the code's own frames only (lines counted in the code, as {@code <input>:line:column}): not the
     * prelude's, nor the eval and quickjs4j's wrapper below it ({@code function.mjs}).
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
              const where = (f) => (f.isNative() ? 'native' : `${f.getFileName()}:${f.getLineNumber()}:${f.getColumnNumber()}`);
              Error.prepareStackTrace = (error, frames) => {
                const ours = frames.findLastIndex((f) => f.isNative() && f.getFunctionName() === 'eval');
                return frames.slice(0, ours < 0 ? frames.length : ours)
                  .filter((f) => f.isNative() || f.getFileName() === '<input>')
                  .map((f) => `    at ${f.getFunctionName() || '<anonymous>'} (${where(f)})\n`)
                  .join('');
              };
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
    public RunOutcome run(String sessionId, String incarnation, SessionFiles files, String code, Duration timeout) {
        CappedOutput stdout = new CappedOutput(CappedOutput.DEFAULT_CAP);
        CappedOutput stderr = new CappedOutput(CappedOutput.DEFAULT_CAP);
        AtomicInteger exitCode = new AtomicInteger();
        String script = PRELUDE.formatted(JavaScriptFiles.MODULE, JavaScriptFiles.MODULE + "_exit", Json.write(StringNode.valueOf(code)));
        QuickJs.run(script, JavaScriptFiles.builtins(files, exitCode::set), stdout, stderr, timeout, "The JavaScript run");
        return new RunOutcome(stdout, stderr, exitCode.get());
    }
}
