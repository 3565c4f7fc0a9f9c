package dev.spindle.shell;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.sandbox.Limits;
import dev.spindle.sandbox.RootFilesystem;
import dev.spindle.sandbox.Sandboxes;
import dev.spindle.testing.Prerequisite;
import dev.spindle.vfs.VfsComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

@Timeout(120)
class BashToolTest {
    private ToolRuntime runtime;
    private Sandboxes sandboxes;

    @BeforeEach
    void start(@TempDir Path home) {
        sandboxes = Sandboxes.open(RootFilesystem.host(), home, 1L << 30, Limits.DEFAULTS);
        Prerequisite.require(sandboxes.sandbox().isPresent(), "SPINDLE_REQUIRE_SANDBOX", "no sandbox here: " + sandboxes.unavailable());
        runtime = ToolRuntime.builder().withComponent(new VfsComponent()).withComponent(new ShellComponent(sandboxes, Duration.ofMinutes(10))).build();
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        sandboxes.close();
    }

    private ToolResult call(String session, String tool, Object... args) {
        var json = Json.object();
        for (int i = 0; i < args.length; i += 2) {
            json.set((String) args[i], Json.MAPPER.valueToTree(args[i + 1]));
        }
        return runtime.execute(new ToolCall(session, null, tool, json));
    }

    private JsonNode bash(String session, String command) {
        ToolResult result = call(session, "bash", "command", command);
        assertThat(result.success()).as(result.result()).isTrue();
        return Json.parse(result.result());
    }

    @Test
    void answersStdoutStderrAndTheExitCodeAndANonZeroExitIsAResult() {
        JsonNode result = bash("s", "echo out; echo err >&2; exit 4");
        assertThat(result.path("stdout").asString()).isEqualTo("out\n");
        assertThat(result.path("stderr").asString()).isEqualTo("err\n");
        assertThat(result.path("exit_code").asInt()).isEqualTo(4);
        assertThat(result.properties()).extracting(Map.Entry::getKey).containsExactly("stdout", "stderr", "exit_code");
    }

    @Test
    void theWorkingDirectoryAndExportedVariablesPersistAsInATerminal() {
        bash("s", "mkdir -p sub/dir && cd sub && export GREETING='hello world' LOCAL_ONLY=x; NOT_EXPORTED=y");
        JsonNode result = bash("s", "pwd; echo \"$GREETING\"; echo \"${NOT_EXPORTED:-unset}\"");
        assertThat(result.path("stdout").asString()).isEqualTo("/workspace/sub\nhello world\nunset\n");
        // a fork carries the terminal, and then goes its own way
        runtime.forkSession("s", "f");
        bash("f", "cd dir");
        assertThat(bash("f", "pwd").path("stdout").asString()).isEqualTo("/workspace/sub/dir\n");
        assertThat(bash("s", "pwd").path("stdout").asString()).isEqualTo("/workspace/sub\n");
    }

    @Test
    void vfsAndBashSeeTheSameFiles() {
        assertThat(call("s", "write_file", "file_path", "notes/a.txt", "content", "from vfs\n").success()).isTrue();
        assertThat(bash("s", "cat notes/a.txt; echo from bash > notes/b.txt").path("stdout").asString()).isEqualTo("from vfs\n");
        assertThat(call("s", "read_file", "file_path", "notes/b.txt").result()).isEqualTo("from bash\n");
        assertThat(call("s", "edit_file", "file_path", "notes/a.txt", "old_string", "vfs", "new_string", "edit").success()).isTrue();
        assertThat(bash("s", "cat notes/a.txt").path("stdout").asString()).isEqualTo("from edit\n");
        assertThat(runtime.exportFiles("s")).containsOnlyKeys("notes/a.txt", "notes/b.txt");
    }

    @Test
    void bytesOfAnyKindRoundTripAndTextToolsSayABinaryFileIsOne() {
        bash("s", "printf '\\x89PNG\\x00\\xff' > logo.png; printf 'ok\\n' > note.txt");
        ToolResult read = call("s", "read_file", "file_path", "logo.png");
        assertThat(read.success()).isFalse();
        assertThat(read.errorType()).isEqualTo(dev.spindle.core.ErrorType.BinaryFile);
        assertThat(read.result()).contains("'logo.png' is a binary file of 6 bytes");
        assertThat(call("s", "search_files", "pattern", "ok").result()).isEqualTo("note.txt:1:ok");
        assertThat(bash("s", "od -An -tx1 logo.png").path("stdout").asString().strip()).isEqualTo("89 50 4e 47 00 ff");
    }

    @Test
    void gitInOneCallAndItsLogInTheNextAndAfterAFork() {
        runtime.openSession(new SessionSpec("g", Map.of("README.md", "# hi\n"), null, null));
        assertThat(bash("g", "git init -q && git add -A && git commit -qm 'first commit' && echo committed").path("stdout").asString()).isEqualTo("committed\n");
        assertThat(bash("g", "git log --format=%s").path("stdout").asString()).isEqualTo("first commit\n");
        runtime.forkSession("g", "g2");
        assertThat(bash("g2", "git log --format=%s; git status --porcelain").path("stdout").asString()).isEqualTo("first commit\n");
    }

    @Test
    void aTimeoutIsTypedAndKeepsNoChange() {
        ToolResult result = call("s", "bash", "command", "echo x > partial.txt; sleep 30", "timeout_ms", 300);
        assertThat(result.success()).isFalse();
        assertThat(result.errorType()).isEqualTo(dev.spindle.core.ErrorType.Timeout);
        assertThat(runtime.exportFiles("s")).doesNotContainKey("partial.txt");
        assertThat(bash("s", "ls").path("stdout").asString()).isEmpty();
    }

    @Test
    void whatASessionCannotHoldIsReportedInStderr() {
        JsonNode result = bash("s", "ln -s /etc/passwd link; echo ok");
        assertThat(result.path("stdout").asString()).isEqualTo("ok\n");
        assertThat(result.path("stderr").asString()).contains("[not kept] The symbolic link 'link' was not kept");
    }
}
