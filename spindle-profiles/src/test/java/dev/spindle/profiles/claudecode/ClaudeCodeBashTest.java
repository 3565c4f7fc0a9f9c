package dev.spindle.profiles.claudecode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bash in the session's sandbox, answered as Claude Code words it; its terminal persists. Needs the sandbox (SPINDLE_REQUIRE_SANDBOX=1 in CI). */
@Timeout(180)
class ClaudeCodeBashTest {
    @TempDir
    Path home;
    ProfileServer s;

    @BeforeEach
    void start() {
        s = new ProfileServer(home).requireSandbox();
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void answersStdoutThenStderrThenANonZeroExitCode() {
        assertThat(s.ok("w", "Bash", "{\"command\":\"printf '\\\\n\\\\nhello  \\\\n'\",\"description\":\"Says hello\"}")).isEqualTo("hello");
        assertThat(s.ok("w", "Bash", "{\"command\":\"echo out; echo err >&2; exit 3\"}")).isEqualTo("out\nerr\nExit code 3");
        assertThat(s.ok("w", "Bash", "{\"command\":\"true\"}")).isEmpty();
    }

    @Test
    void theWorkingDirectoryAndExportsPersist() {
        s.ok("w", "Bash", "{\"command\":\"mkdir -p pkg/sub && cd pkg/sub && export STAGE=two\"}");
        assertThat(s.ok("w", "Bash", "{\"command\":\"pwd; echo $STAGE\"}")).isEqualTo("/workspace/pkg/sub\ntwo");
        assertThat(s.ok("other", "Bash", "{\"command\":\"pwd\"}")).isEqualTo("/workspace");
    }

    @Test
    void aCommandPastItsTimeoutIsAborted() {
        assertThat(s.fails("w", "Bash", "{\"command\":\"sleep 30\",\"timeout\":500}", "Timeout")).startsWith("<error>Command was aborted before completion</error>");
        assertThat(s.fails("w", "Bash", "{\"command\":\"true\",\"timeout\":600001}", "InvalidArguments")).contains("timeout must be 1 to 600000");
        assertThat(s.ok("w", "Bash", "{\"command\":\"echo alive\"}")).isEqualTo("alive");
    }

    @Test
    void aFileACommandChangedMustBeReadAgainBeforeAnEdit() {
        s.ok("w", "Write", "{\"file_path\":\"/workspace/a.txt\",\"content\":\"one\\n\"}");
        s.ok("w", "Bash", "{\"command\":\"echo two >> a.txt\"}");
        assertThat(s.fails("w", "Edit", "{\"file_path\":\"/workspace/a.txt\",\"old_string\":\"one\",\"new_string\":\"1\"}", "Conflict"))
                .startsWith("File has been modified since read");
        assertThat(s.ok("w", "Read", "{\"file_path\":\"/workspace/a.txt\"}")).isEqualTo("     1\u2192one\n     2\u2192two");
        s.ok("w", "Edit", "{\"file_path\":\"/workspace/a.txt\",\"old_string\":\"one\",\"new_string\":\"1\"}");
        assertThat(s.ok("w", "Bash", "{\"command\":\"cat a.txt\"}")).isEqualTo("1\ntwo");
    }

    /** What an agent does with Claude Code on a failing test: look, read, fix, run the tests, through every kind of tool. */
    @Test
    void aScriptedConversationFixesABugEndToEnd() {
        s.post("/sessions", "{\"session_id\":\"fix\",\"files\":{\"calc/ops.py\":\"def add(a, b):\\n    return a - b\\n\","
                + "\"tests/test_ops.py\":\"import sys\\nsys.path.insert(0, '.')\\nfrom calc.ops import add\\n\\ndef test_add():\\n    assert add(2, 3) == 5\\n\\n"
                + "if __name__ == '__main__':\\n    test_add()\\n    print('1 passed')\\n\"}}");
        s.ok("fix", "TodoWrite", "{\"todos\":[{\"content\":\"Find the failing test\",\"status\":\"in_progress\",\"id\":\"1\"},{\"content\":\"Fix add\",\"status\":\"pending\",\"id\":\"2\"}]}");
        assertThat(s.ok("fix", "LS", "{\"path\":\"/workspace\"}")).isEqualTo("- /workspace/\n  - calc/\n    - ops.py\n  - tests/\n    - test_ops.py\n");
        assertThat(s.ok("fix", "Bash", "{\"command\":\"python3 tests/test_ops.py\",\"description\":\"Runs the tests\"}")).contains("AssertionError").endsWith("Exit code 1");
        assertThat(s.ok("fix", "Glob", "{\"pattern\":\"**/*.py\"}")).isEqualTo("/workspace/calc/ops.py\n/workspace/tests/test_ops.py");
        assertThat(s.ok("fix", "Grep", "{\"pattern\":\"def add\",\"output_mode\":\"content\",\"-n\":true}")).isEqualTo("/workspace/calc/ops.py:1:def add(a, b):");
        assertThat(s.ok("fix", "Read", "{\"file_path\":\"/workspace/calc/ops.py\"}")).isEqualTo("     1\u2192def add(a, b):\n     2\u2192    return a - b");
        assertThat(s.ok("fix", "Edit", "{\"file_path\":\"/workspace/calc/ops.py\",\"old_string\":\"a - b\",\"new_string\":\"a + b\"}"))
                .endsWith("     1\u2192def add(a, b):\n     2\u2192    return a + b");
        assertThat(s.ok("fix", "Bash", "{\"command\":\"python3 tests/test_ops.py\"}")).isEqualTo("1 passed");
        assertThat(s.file("fix", "calc/ops.py")).isEqualTo("def add(a, b):\n    return a + b\n");
        assertThat(s.get("/sessions/fix/trace").path("calls").valueStream().map(c -> c.path("tool").asString()))
                .containsExactly("TodoWrite", "LS", "Bash", "Glob", "Grep", "Read", "Edit", "Bash");
    }
}
