package dev.spindle.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.files.PathPolicy;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.vfs.VfsComponent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** run_python in a runtime with the VFS (one loaded module for all tests): files, tracebacks and limits. */
@Timeout(120)
class RunPythonTest {
    static ToolRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = ToolRuntime.builder().withComponent(new VfsComponent()).withComponent(new CodeComponent()).build();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static ToolResult call(String session, String tool, String key, String value, Integer timeoutMs) {
        var json = Json.object().put(key, value);
        if (timeoutMs != null) {
            json.put("timeout_ms", timeoutMs);
        }
        return runtime.execute(new ToolCall(session, null, tool, json));
    }

    static JsonNode run(String session, String code) {
        ToolResult result = call(session, "run_python", "code", code, 20_000);
        assertThat(result.success()).as(result.result()).isTrue();
        return Json.parse(result.result());
    }

    static JsonNode kept(ToolRuntime in, String session, String code) {
        ToolResult result = in.execute(new ToolCall(session, null, "run_python",
                Json.object().put("code", code).put("timeout_ms", 20_000).put("keep_state", true)));
        assertThat(result.success()).as(result.result()).isTrue();
        return Json.parse(result.result());
    }

    static String keptOut(String session, String code) {
        return kept(runtime, session, code).path("stdout").asString();
    }

    @Test
    void keptGlobalsPersistInTheirSessionOnlyAndOnlyWithKeepState() {
        keptOut("keep-1", "import math\nx = 41\ndef twice(n):\n    return 2 * n\n");
        assertThat(keptOut("keep-1", "x += 1\nprint(x, twice(x), math.pi > 3)")).isEqualTo("42 84 True\n");
        assertThat(keptOut("keep-2", "print('x' in globals())")).isEqualTo("False\n");
        assertThat(run("keep-1", "print('x' in globals())").path("stdout").asString()).isEqualTo("False\n");
        run("fresh", "y = 1");
        assertThat(run("fresh", "print('y' in globals())").path("stdout").asString()).isEqualTo("False\n");
        assertThat(keptOut("keep-1", "print(x)")).isEqualTo("42\n");
    }

    /** What ToolContext#incarnation tells: a later session of the same id never gets the earlier one's interpreter. */
    @Test
    void aKeptInstanceServesOneIncarnationOfItsSessionOnly() {
        WasmPython python = new WasmPython(4);
        SessionFiles files = new SessionFiles(new MemoryStore(), "s", PathPolicy.defaults(), Quotas.DEFAULTS);
        Duration timeout = Duration.ofSeconds(20);
        python.runKept("s", "first", files, "x = 1", timeout);
        assertThat(python.runKept("s", "first", files, "print('x' in globals())", timeout).stdout().text()).isEqualTo("True\n");
        assertThat(python.runKept("s", "second", files, "print('x' in globals())", timeout).stdout().text()).isEqualTo("False\n");
        python.forget("s");
    }

    @Test
    void closingTheSessionDropsItsKeptInstance() {
        keptOut("keep-closed", "x = 1");
        assertThat(keptOut("keep-closed", "print('x' in globals())")).isEqualTo("True\n");
        runtime.closeSession("keep-closed");
        assertThat(keptOut("keep-closed", "print('x' in globals())")).isEqualTo("False\n");
    }

    @Test
    void aKeptInstanceSeesTheSessionsCurrentFilesAndWritesItsOwnBack() {
        runtime.openSession(new SessionSpec("keep-files", Map.of("a.txt", "first", "gone.txt", "soon"), null));
        assertThat(keptOut("keep-files", "import os\nprint(open('a.txt').read(), sorted(os.listdir('.')))"))
                .isEqualTo("first ['a.txt', 'gone.txt']\n");
        runtime.execute(new ToolCall("keep-files", null, "write_file", Json.object().put("file_path", "a.txt").put("content", "second")));
        runtime.execute(new ToolCall("keep-files", null, "write_file", Json.object().put("file_path", "new/b.txt").put("content", "added")));
        runtime.execute(new ToolCall("keep-files", null, "delete_file", Json.object().put("file_path", "gone.txt")));
        assertThat(keptOut("keep-files", """
                print(open('a.txt').read(), open('new/b.txt').read(), sorted(os.listdir('.')))
                open('out.txt', 'w').write('from kept')
                """)).isEqualTo("second added ['a.txt', 'new']\n");
        assertThat(call("keep-files", "read_file", "file_path", "out.txt", null).result()).isEqualTo("from kept");
        assertThat(runtime.exportFiles("keep-files")).containsOnlyKeys("a.txt", "new/b.txt", "out.txt");
    }

    @Test
    void aTimeoutDropsTheKeptInstanceAndTheNextKeptCallStartsFresh() {
        keptOut("keep-timeout", "x = 1");
        ToolResult result = runtime.execute(new ToolCall("keep-timeout", null, "run_python",
                Json.object().put("code", "while True:\n    pass\n").put("timeout_ms", 1000).put("keep_state", true)));
        assertThat(result.errorType()).as(result.result()).isEqualTo(ErrorType.Timeout);
        assertThat(keptOut("keep-timeout", "print('x' in globals())")).isEqualTo("False\n");
    }

    @Test
    void pastTheCapTheLeastRecentlyUsedSessionLosesItsKeptInstance() {
        try (ToolRuntime capped = ToolRuntime.builder().withComponent(CodeComponent.builder().maxKeptInstances(2).build()).build()) {
            kept(capped, "a", "x = 'a'");
            kept(capped, "b", "x = 'b'");
            kept(capped, "a", "pass"); // b is now the least recently used
            kept(capped, "c", "x = 'c'");
            assertThat(kept(capped, "a", "print(x)").path("stdout").asString()).isEqualTo("a\n");
            assertThat(kept(capped, "b", "print('x' in globals())").path("stdout").asString()).isEqualTo("False\n");
        }
    }

    /** The timeout stops the code, not the host's work after it: the deadline passing during the write-back breaks nothing. */
    @Test
    void aRunThatEndedInTimeIsNotCutShortByItsWriteBack() {
        Duration timeout = Duration.ofSeconds(3);
        try (ToolRuntime slow = ToolRuntime.builder().withStore(new SlowWritesStore("slow", timeout.plusMillis(500)))
                .withComponent(new VfsComponent()).withComponent(new CodeComponent()).build()) {
            ToolResult result = slow.execute(new ToolCall("slow", null, "run_python",
                    Json.object().put("code", "open('out.txt', 'w').write('kept')").put("timeout_ms", timeout.toMillis())));
            assertThat(result.success()).as(result.result()).isTrue();
            assertThat(slow.exportFiles("slow")).containsExactly(Map.entry("out.txt", "kept"));
        }
    }

    @Test
    void osExitEndsTheRunWithItsStatusAndKeepsWhatTheCodeWrote() {
        JsonNode out = run("exit", "import os\nopen('before.txt', 'w').write('written')\nos.write(1, b'said\\n')\nos._exit(3)\nprint('never')");
        assertThat(out.path("exit_code").asInt()).isEqualTo(3);
        assertThat(out.path("stdout").asString()).isEqualTo("said\n");
        assertThat(runtime.exportFiles("exit")).containsExactly(Map.entry("before.txt", "written"));
        assertThat(run("exit", "import os\nos._exit(0)").path("exit_code").asInt()).isZero();

        keptOut("exit-kept", "x = 1");
        assertThat(kept(runtime, "exit-kept", "import os\nos._exit(7)").path("exit_code").asInt()).isEqualTo(7);
        assertThat(keptOut("exit-kept", "print('x' in globals())")).as("a fresh interpreter").isEqualTo("False\n");
    }

    @Test
    void sysExitGivesTheStatusAShellWouldSeeWhateverTheNumber() {
        assertThat(run("status", "import sys\nsys.exit(2**70)").path("exit_code").asInt()).isEqualTo(255);
        assertThat(run("status", "import sys\nsys.exit(-1)").path("exit_code").asInt()).isEqualTo(255);
        assertThat(run("status", "import sys\nsys.exit(256 + 7)").path("exit_code").asInt()).isEqualTo(7);
        JsonNode text = run("status", "import sys\nsys.exit('bye')");
        assertThat(text.path("exit_code").asInt()).isEqualTo(1);
        assertThat(text.path("stderr").asString()).isEqualTo("bye\n");
    }

    @Test
    void fstatOfThePreopenedDirectoryIsAnOsErrorTheCodeCanCatch() {
        JsonNode out = run("fstat", """
                import errno, os
                try:
                    os.fstat(3)
                except OSError as e:
                    print('OSError', e.errno == errno.ENOTSUP)
                print(os.fstat(1).st_mode > 0, os.stat('.').st_mode > 0)
                os.fstat(3)
                """);
        assertThat(out.path("stdout").asString()).isEqualTo("OSError True\nTrue True\n");
        assertThat(out.path("exit_code").asInt()).isEqualTo(1);
        assertThat(out.path("stderr").asString()).contains("OSError").doesNotContain("guest");
    }

    /** Starting the interpreter imports module guest, its entry: a session's own guest package must not be found instead. */
    @Test
    void aSessionsOwnGuestPackageNeitherRunsAtStartNorGoesAway() {
        Map<String, String> files = Map.of("guest/__init__.py", "while True:\n    pass\n", "guest/notes.txt", "mine", "guest.py", "print('own entry')\n");
        runtime.openSession(new SessionSpec("guest-package", files, null));
        assertThat(run("guest-package", "print(open('guest/notes.txt').read())").path("stdout").asString()).isEqualTo("mine\n");
        assertThat(keptOut("guest-package", "print(sorted(__import__('os').listdir('guest')))")).isEqualTo("['__init__.py', 'notes.txt']\n");
        assertThat(runtime.exportFiles("guest-package")).isEqualTo(files);
    }

    @Test
    void theComponentSetsTheDefaultTimeoutAndACallsTimeoutMsWins() {
        try (ToolRuntime quick = ToolRuntime.builder().withComponent(CodeComponent.builder().defaultTimeout(Duration.ofMillis(700)).build()).build()) {
            ToolResult loop = quick.execute(new ToolCall("t", null, "run_python", Json.object().put("code", "while True:\n    pass\n")));
            assertThat(loop.errorType()).isEqualTo(ErrorType.Timeout);
            assertThat(loop.result()).isEqualTo("The Python run took longer than 700 ms and was stopped");
            ToolResult given = quick.execute(new ToolCall("t", null, "run_python", Json.object().put("timeout_ms", 20_000)
                    .put("code", "import time\nt = time.time()\nwhile time.time() - t < 1.5:\n    pass\nprint('done')")));
            assertThat(given.success()).as(given.result()).isTrue();
            assertThat(quick.components().getFirst().tools()).allSatisfy(tool ->
                    assertThat(tool.inputSchema().path("properties").path("timeout_ms").path("default").asInt()).isEqualTo(700));
        }
        assertThatThrownBy(() -> CodeComponent.builder().defaultTimeout(Duration.ofSeconds(31))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 ms to 30 s");
    }

    @Test
    void printsAndImportsTheStandardLibrary() {
        JsonNode out = run("print", """
                import json, re, collections, hashlib, sys
                print(json.dumps({'n': 6 * 7}), re.sub('a+', 'b', 'caaat'), collections.Counter('abca')['a'])
                print(hashlib.sha256(b'x').hexdigest()[:8], end='')
                print('careful', file=sys.stderr)
                """);
        assertThat(out.path("stdout").asString()).isEqualTo("{\"n\": 42} cbt 2\n2d711642");
        assertThat(out.path("stderr").asString()).isEqualTo("careful\n");
        assertThat(out.path("exit_code").asInt()).isZero();
    }

    /** A replay must reproduce the answer: nothing in it may depend on the machine (timings are in the trace). */
    @Test
    void theAnswerIsWhatTheCodeDeterminesAndTheSameOnEachRun() {
        String code = "n = 0\nfor i in range(100000):\n    n += i\nprint(n)";
        ToolResult first = call("same-1", "run_python", "code", code, 20_000);
        ToolResult second = call("same-2", "run_python", "code", code, 20_000);
        assertThat(Json.parse(first.result()).propertyNames()).containsExactly("stdout", "stderr", "exit_code");
        assertThat(second.result()).isEqualTo(first.result());
        assertThat(runtime.trace("same-2").getFirst().durationMicros()).as("the time is in the trace").isPositive();
    }

    @Test
    void readsASeededFileAndWritesOneThatReadFileThenReturns() {
        runtime.openSession(new SessionSpec("files", Map.of("data/in.txt", "seeded"), null));
        JsonNode out = run("files", """
                import os
                text = open('data/in.txt').read()
                with open('data/out.txt', 'w') as f:
                    f.write(text.upper())
                print(text, sorted(os.listdir('.')))
                """);
        assertThat(out.path("stdout").asString()).isEqualTo("seeded ['data']\n");
        assertThat(call("files", "read_file", "file_path", "data/out.txt", null).result()).isEqualTo("SEEDED");
        assertThat(runtime.exportFiles("files")).containsOnlyKeys("data/in.txt", "data/out.txt");
    }

    @Test
    void runsASessionFileThatImportsAnother() {
        runtime.openSession(new SessionSpec("script", Map.of("main.py", "import helper\nprint(helper.double(21))", "helper.py", "def double(n):\n    return n * 2\n"), null));
        ToolResult result = call("script", "run_python_file", "file_path", "main.py", 20_000);
        assertThat(Json.parse(result.result()).path("stdout").asString()).isEqualTo("42\n");
        assertThat(runtime.exportFiles("script")).containsOnlyKeys("main.py", "helper.py");
    }

    @Test
    void anUncaughtExceptionIsANormalResultWithItsTraceback() {
        JsonNode out = run("raises", "print('before')\ndef deep():\n    raise ValueError('bad input')\ndeep()\n");
        assertThat(out.path("exit_code").asInt()).isEqualTo(1);
        assertThat(out.path("stdout").asString()).isEqualTo("before\n");
        assertThat(out.path("stderr").asString()).startsWith("Traceback (most recent call last):\n  File \"<code>\", line 4")
                .contains("in deep").endsWith("ValueError: bad input\n").doesNotContain("guest");
        assertThat(run("raises", "import sys\nsys.exit(3)").path("exit_code").asInt()).isEqualTo(3);
    }

    @Test
    void anInfiniteLoopTimesOutAndTheNextCallWorks() {
        long start = System.nanoTime();
        ToolResult result = call("loop", "run_python", "code", "while True:\n    pass\n", 1000);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(result.errorType()).as(result.result()).isEqualTo(ErrorType.Timeout);
        assertThat(elapsedMs).isLessThan(1000 + 500 + 2000); // generous: the machine is shared
        assertThat(run("loop", "print('still here')").path("stdout").asString()).isEqualTo("still here\n");
    }

    @Test
    void aMemoryBombFailsTheRun() {
        ToolResult result = call("bomb", "run_python", "code", "blocks = []\nwhile True:\n    blocks.append(bytearray(1 << 20))\n", 20_000);
        assertThat(result.errorType()).as(result.result()).isEqualTo(ErrorType.ComponentFailed);
        assertThat(result.result()).contains("out of memory");
    }

    @Test
    void hostFilesEscapesAndSocketsFailInsidePython() {
        JsonNode out = run("escape", """
                for path in ['/etc/passwd', '../x', '../../etc/passwd']:
                    try:
                        print(open(path).read()[:10])
                    except OSError as e:
                        print(type(e).__name__)
                try:
                    import socket
                    socket.create_connection(('example.com', 80))
                    print('connected')
                except Exception as e:
                    print('no network')
                """);
        assertThat(out.path("stdout").asString()).isEqualTo("FileNotFoundError\nPermissionError\nPermissionError\nno network\n");
        assertThat(runtime.exportFiles("escape")).isEmpty();
    }

    @Test
    void sessionsAreIsolatedAndRunAtTheSameTime() {
        List<CompletableFuture<JsonNode>> runs = List.of("a", "b").stream()
                .map(s -> CompletableFuture.supplyAsync(() -> run("iso-" + s, """
                        import os
                        open('mine.txt', 'w').write('%s')
                        print(open('mine.txt').read(), os.listdir('.'))
                        """.formatted(s)))).toList();
        assertThat(runs.get(0).join().path("stdout").asString()).isEqualTo("a ['mine.txt']\n");
        assertThat(runs.get(1).join().path("stdout").asString()).isEqualTo("b ['mine.txt']\n");
        assertThat(runtime.exportFiles("iso-a")).containsExactly(Map.entry("mine.txt", "a"));
    }
}
