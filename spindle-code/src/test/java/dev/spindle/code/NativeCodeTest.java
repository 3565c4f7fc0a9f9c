package dev.spindle.code;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.sandbox.Limits;
import dev.spindle.sandbox.RootFilesystem;
import dev.spindle.sandbox.Sandboxes;
import dev.spindle.testing.Prerequisite;
import dev.spindle.vfs.VfsComponent;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

@Timeout(120)
class NativeCodeTest {
    private static Sandboxes sandboxes;
    private static ToolRuntime runtime;

    @BeforeAll
    static void start(@TempDir Path home) {
        sandboxes = Sandboxes.open(RootFilesystem.host(), home, 1L << 30, Limits.DEFAULTS);
        Prerequisite.require(sandboxes.sandbox().isPresent(), "SPINDLE_REQUIRE_SANDBOX", "no sandbox here: " + sandboxes.unavailable());
        CodeComponent code = CodeComponent.builder().withSandboxes(sandboxes).build();
        assertThat(code.backends()).containsEntry("python", "native").containsEntry("javascript", "native");
        runtime = ToolRuntime.builder().withComponent(new VfsComponent()).withComponent(code).build();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
        sandboxes.close();
    }

    private static ToolResult call(String session, String tool, Object... args) {
        var json = Json.object();
        for (int i = 0; i < args.length; i += 2) {
            json.set((String) args[i], Json.MAPPER.valueToTree(args[i + 1]));
        }
        return runtime.execute(new ToolCall(session, null, tool, json));
    }

    private static JsonNode ran(String session, String tool, Object... args) {
        ToolResult result = call(session, tool, args);
        assertThat(result.success()).as(result.result()).isTrue();
        return Json.parse(result.result());
    }

    @Test
    void pythonRunsNativelyWithTheRootsPackagesOverTheSessionsFiles() {
        assertThat(call("p", "write_file", "file_path", "data.csv", "content", "a,b\n1,2\n3,4\n").success()).isTrue();
        JsonNode result = ran("p", "run_python", "code", """
                import csv, json, statistics
                rows = list(csv.DictReader(open('data.csv')))
                print(statistics.mean(int(r['a']) for r in rows))
                open('out.json', 'w').write(json.dumps({'n': len(rows)}))
                """);
        assertThat(result.path("stdout").asString()).isEqualTo("2\n");
        assertThat(result.path("exit_code").asInt()).isZero();
        assertThat(call("p", "read_file", "file_path", "out.json").result()).isEqualTo("{\"n\": 2}");
    }

    @Test
    void numpyFromTheRootIsThere() {
        JsonNode result = ran("n", "run_python", "code", "import numpy as np\nprint(int(np.arange(10).sum()))");
        if (result.path("stderr").asString().contains("No module named 'numpy'")) {
            Prerequisite.require(false, "SPINDLE_REQUIRE_SANDBOX", "python3-numpy is not installed (apt-get install python3-numpy)");
        }
        assertThat(result.path("stdout").asString()).isEqualTo("45\n");
    }

    @Test
    void failuresReadAsTheWebAssemblyBackendsDo() {
        JsonNode raised = ran("f", "run_python", "code", "x = 1\nraise ValueError('bad')");
        assertThat(raised.path("exit_code").asInt()).isEqualTo(1);
        assertThat(raised.path("stderr").asString()).startsWith("Traceback (most recent call last):\n  File \"<code>\", line 2, in <module>")
                .endsWith("ValueError: bad\n");
        assertThat(ran("f", "run_python", "code", "import sys; sys.exit(3)").path("exit_code").asInt()).isEqualTo(3);
        ToolResult slow = call("f", "run_python", "code", "while True: pass", "timeout_ms", 300);
        assertThat(slow.errorType()).isEqualTo(ErrorType.Timeout);
    }

    @Test
    void keepStateKeepsGlobalsInOneKernelPerSession() {
        assertThat(ran("k", "run_python", "code", "import os\ncounter = 41", "keep_state", true).path("exit_code").asInt()).isZero();
        assertThat(ran("k", "run_python", "code", "counter += 1\nprint(counter)", "keep_state", true).path("stdout").asString()).isEqualTo("42\n");
        assertThat(ran("k", "run_python", "code", "print('counter' in globals())").path("stdout").asString()).isEqualTo("False\n");
        assertThat(ran("other", "run_python", "code", "print('counter' in globals())", "keep_state", true).path("stdout").asString()).isEqualTo("False\n");
        // the kernel sees what other tools wrote, and what it writes is the session's
        call("k", "write_file", "file_path", "in.txt", "content", "from vfs");
        assertThat(ran("k", "run_python", "code", "print(open('in.txt').read()); open('k.txt','w').write('from kernel')", "keep_state", true)
                .path("stdout").asString()).isEqualTo("from vfs\n");
        assertThat(call("k", "read_file", "file_path", "k.txt").result()).isEqualTo("from kernel");
        // a timeout ends the kernel: the next call starts from empty globals
        assertThat(call("k", "run_python", "code", "while True: pass", "keep_state", true, "timeout_ms", 300).errorType()).isEqualTo(ErrorType.Timeout);
        assertThat(ran("k", "run_python", "code", "print('counter' in globals())", "keep_state", true).path("stdout").asString()).isEqualTo("False\n");
    }

    @Test
    void javaScriptRunsOnNodeWithTheSameFsHelpers() {
        call("j", "write_file", "file_path", "in.txt", "content", "hello");
        JsonNode result = ran("j", "run_javascript", "code", """
                console.log(fs.readFile('/in.txt'));
                fs.writeFile('dir/out.txt', 'written');
                console.log(JSON.stringify(fs.listDir('/')));
                const r = fs.readFile('../outside');
                console.log(r instanceof Error, fs.exists('in.txt'));
                """);
        assertThat(result.path("stdout").asString()).isEqualTo("hello\n[\"dir/\",\"in.txt\"]\ntrue true\n");
        assertThat(call("j", "read_file", "file_path", "dir/out.txt").result()).isEqualTo("written");
        JsonNode thrown = ran("j", "run_javascript", "code", "function f() { throw new TypeError('nope'); }\nf();");
        assertThat(thrown.path("exit_code").asInt()).isEqualTo(1);
        assertThat(thrown.path("stderr").asString()).startsWith("TypeError: nope\n    at f (code.js:1:").doesNotContain("node:");
    }
}
