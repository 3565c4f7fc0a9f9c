package dev.spindle.code;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.vfs.VfsComponent;
import dev.spindle.core.text.CappedOutput;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** run_javascript in a runtime with the VFS: the same session files, what the code printed, and its limits. */
@Timeout(60)
class RunJavaScriptTest {
    static ToolRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = ToolRuntime.builder().withComponent(new VfsComponent()).withComponent(new CodeComponent()).build();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    /** A code call without a {@code timeout_ms} gets 20 s: a shared machine may be far slower than the 5 s default expects. */
    static ToolResult call(String session, String tool, Object... arguments) {
        var json = tool.startsWith("run_") ? Json.object().put("timeout_ms", 20_000) : Json.object();
        for (int i = 0; i < arguments.length; i += 2) {
            if (arguments[i + 1] instanceof Integer n) {
                json.put((String) arguments[i], n);
            } else {
                json.put((String) arguments[i], (String) arguments[i + 1]);
            }
        }
        return runtime.execute(new ToolCall(session, null, tool, json));
    }

    static JsonNode run(String session, String code) {
        ToolResult result = call(session, "run_javascript", "code", code);
        assertThat(result.success()).as(result.result()).isTrue();
        return Json.parse(result.result());
    }

    @Test
    void printsToStdoutAndStderr() {
        JsonNode out = run("print", "console.log('hello', 6 * 7); console.error('careful')");
        assertThat(out.path("stdout").asString()).isEqualTo("hello 42\n");
        assertThat(out.path("stderr").asString()).isEqualTo("careful\n");
        assertThat(out.path("exit_code").asInt()).isZero();
    }

    /** A replay must reproduce the answer: nothing in it may depend on the machine (timings are in the trace). */
    @Test
    void theAnswerIsWhatTheCodeDeterminesAndTheSameOnEachRun() {
        String code = "let n = 0; for (let i = 0; i < 100000; i++) n += i; console.log(n)";
        ToolResult first = call("same-1", "run_javascript", "code", code);
        ToolResult second = call("same-2", "run_javascript", "code", code);
        assertThat(Json.parse(first.result()).propertyNames()).containsExactly("stdout", "stderr", "exit_code");
        assertThat(second.result()).isEqualTo(first.result());
    }

    @Test
    void readsASeededFileAndWritesOneThatReadFileThenReturns() {
        runtime.openSession(new SessionSpec("files", Map.of("data/in.txt", "seeded"), null));
        JsonNode out = run("files", """
                const text = fs.readFile('data/in.txt');
                console.log(text, fs.exists('data/in.txt'), fs.exists('nope'), JSON.stringify(fs.listDir('/')));
                fs.writeFile('data/out.txt', text.toUpperCase());
                """);
        assertThat(out.path("stdout").asString()).isEqualTo("seeded true false [\"data/\"]\n");
        assertThat(call("files", "read_file", "file_path", "data/out.txt").result()).isEqualTo("SEEDED");
    }

    @Test
    void runsASessionFile() {
        runtime.openSession(new SessionSpec("script", Map.of("main.js", "console.log([1, 2, 3].map(n => n * 2).join(','))"), null));
        ToolResult result = call("script", "run_javascript_file", "file_path", "main.js");
        assertThat(Json.parse(result.result()).path("stdout").asString()).isEqualTo("2,4,6\n");
        assertThat(call("script", "run_javascript_file", "file_path", "missing.js").errorType()).isEqualTo(ErrorType.FileNotFound);
    }

    @Test
    void anUncaughtExceptionIsANormalResultWithItsStack() {
        JsonNode out = run("throws", "console.log('before');\nfunction deep() { throw new TypeError('bad input') }\ndeep();");
        assertThat(out.path("exit_code").asInt()).isEqualTo(1);
        assertThat(out.path("stdout").asString()).isEqualTo("before\n");
        assertThat(out.path("stderr").asString()).startsWith("TypeError: bad input\n").contains("deep");
        JsonNode syntax = run("throws", "let x = ;");
        assertThat(syntax.path("exit_code").asInt()).isEqualTo(1);
        assertThat(syntax.path("stderr").asString()).startsWith("SyntaxError:");
    }

    /** Stacks name the code's own lines (counted in the code), never the sandbox's frames below or around it. */
    @Test
    void stacksShowTheCodesOwnFramesOnly() {
        JsonNode out = run("stack", """
                function a() { return [1].map(() => b()) }
                function b() { throw new RangeError('deep') }
                console.log(new Error('here').stack);
                console.log(String(fs.readFile('../x')), fs.readFile('../x').stack);
                a();
                """);
        assertThat(out.path("stdout").asString()).isEqualTo("    at <eval> (<input>:3:17)\n\n" + "Error: Access denied: '../x' leads outside the session root /     at <eval> (<input>:4:45)\n\n");
        String stack = out.path("stderr").asString();
        assertThat(stack).startsWith("RangeError: deep\n    at b (<input>:2:").contains("    at map (native)\n")
                .endsWith("    at <eval> (<input>:5:1)\n").doesNotContain("function.mjs", "eval (native)");
        assertThat(stack.lines().skip(1)).allMatch(line -> line.matches("    at \\S+ \\((<input>:\\d+:\\d+|native)\\)"));
        assertThat(run("stack", "let x = ;").path("stderr").asString()).matches("SyntaxError: .*\n    at <anonymous> \\(<input>:1:\\d+\\)\n");
    }

    @Test
    void anInfiniteLoopTimesOutAndTheNextCallWorks() {
        long start = System.nanoTime();
        ToolResult result = call("loop", "run_javascript", "code", "while (true) {}", "timeout_ms", 500);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.errorType()).isEqualTo(ErrorType.Timeout);
        assertThat(elapsedMs).isLessThan(500 + 500 + 1500); // generous: the machine is shared
        assertThat(run("loop", "console.log('still here')").path("stdout").asString()).isEqualTo("still here\n");
    }

    @Test
    void aMemoryBombFailsTheRun() {
        ToolResult result = call("bomb", "run_javascript", "code", "const a = []; while (true) a.push('x'.repeat(1 << 20) + a.length);");
        assertThat(result.errorType()).isEqualTo(ErrorType.ComponentFailed);
        assertThat(result.result()).contains("out of memory");
    }

    @Test
    void hostPathsAndEscapesAreErrorValuesInsideJavaScript() {
        JsonNode out = run("escape", """
                for (const p of ['/etc/passwd', '../x', '../../etc/passwd']) {
                  const r = fs.readFile(p);
                  console.log(r instanceof Error, String(r).includes('root:'));
                }
                console.log(fs.writeFile('../outside.txt', 'x') instanceof Error);
                console.log(typeof fetch, typeof require, typeof process);
                """);
        assertThat(out.path("stdout").asString()).isEqualTo("true false\ntrue false\ntrue false\ntrue\nundefined undefined undefined\n");
        assertThat(runtime.exportFiles("escape")).isEmpty();
    }

    @Test
    void outputIsCappedWithAMarker() {
        JsonNode out = run("noisy", "for (let i = 0; i < 7000; i++) console.log('0123456789');");
        String stdout = out.path("stdout").asString();
        assertThat(stdout).hasSizeLessThan(CappedOutput.DEFAULT_CAP + 100).endsWith("more bytes]");
    }

    @Test
    void sessionsAreIsolatedAndRunAtTheSameTime() {
        List<CompletableFuture<JsonNode>> runs = List.of("a", "b").stream()
                .map(s -> CompletableFuture.supplyAsync(() -> run("iso-" + s, """
                        fs.writeFile('mine.txt', '%s');
                        let n = 0; for (let i = 0; i < 200000; i++) n += i;
                        console.log(fs.readFile('mine.txt'), JSON.stringify(fs.listDir('/')));
                        """.formatted(s)))).toList();
        assertThat(runs.get(0).join().path("stdout").asString()).isEqualTo("a [\"mine.txt\"]\n");
        assertThat(runs.get(1).join().path("stdout").asString()).isEqualTo("b [\"mine.txt\"]\n");
        assertThat(runtime.exportFiles("iso-a")).containsExactly(Map.entry("mine.txt", "a"));
    }
}
