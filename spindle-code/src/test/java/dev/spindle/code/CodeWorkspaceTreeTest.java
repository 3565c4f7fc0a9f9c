package dev.spindle.code;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.testing.Allocation;
import dev.spindle.testing.SymlinkCorpus;
import dev.spindle.vfs.VfsComponent;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What run_python leaves in its workspace, written back to the session: links (hard and symbolic, by the
 * thousand), special files, empty directories and names the session cannot keep. The write-back reads no
 * more than the session's quotas allow and refuses, whole and typed, what they do not.
 */
@Timeout(180)
class CodeWorkspaceTreeTest {
    static ToolRuntime runtime;

    @BeforeAll
    static void start() {
        runtime = ToolRuntime.builder().withComponent(new VfsComponent()).withComponent(new CodeComponent()).build();
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    static ToolResult run(String session, String code) {
        return runtime.execute(new ToolCall(session, null, "run_python", Json.object().put("code", code).put("timeout_ms", 30_000)));
    }

    static String stdout(String session, String code) {
        ToolResult result = run(session, code);
        assertThat(result.success()).as(result.result()).isTrue();
        var answer = Json.parse(result.result());
        assertThat(answer.path("exit_code").asInt()).as(answer.path("stderr").asString()).isZero();
        return answer.path("stdout").asString();
    }

    @Test
    void twoThousandHardLinksToA4MiBFileAreRefusedBeforeTheyAreRead() {
        runtime.openSession(new SessionSpec("hard", Map.of("keep.txt", "kept"), null));
        long allocated = Allocation.ofAllThreads();
        ToolResult result = run("hard", SymlinkCorpus.PYTHON_LINK_FLOOD);
        assertThat(result.errorType()).as(result.result()).isEqualTo(ErrorType.QuotaExceeded);
        assertThat(result.result()).contains("would take more than 67108864 bytes").contains("copy of its own").contains("nothing the run changed was kept");
        assertThat(Allocation.ofAllThreads() - allocated).as("bytes allocated: the 2,001 names of 4 MiB were not read").isLessThan(1L << 30);
        assertThat(runtime.exportFiles("hard")).containsExactly(Map.entry("keep.txt", "kept"));
        assertThat(stdout("hard", "print(open('keep.txt').read())")).isEqualTo("kept\n");
    }

    @Test
    void aFewHardLinksAreCopiesAndSymbolicLinksToFilesInsideToo() {
        runtime.openSession(new SessionSpec("few", Map.of("a.txt", "a"), null));
        stdout("few", """
                import os
                os.link('a.txt', 'hard.txt')
                os.mkdir('d')
                for target, name in [('a.txt', 'soft.txt'), ('soft.txt', 'chain.txt'), ('missing.txt', 'dangling'), ('d', 'dir-link'),
                                     ('..', 'up'), ('/etc/passwd', 'passwd'), ('../../etc', 'etc')]:
                    try:
                        os.symlink(target, name)
                    except OSError:
                        pass  # WASI refuses links that lead out of the workspace
                print(open('chain.txt').read())
                """);
        assertThat(runtime.exportFiles("few")).containsExactlyInAnyOrderEntriesOf(Map.of("a.txt", "a", "hard.txt", "a", "soft.txt", "a", "chain.txt", "a"));
        assertThat(stdout("few", "import os\nprint(sorted(os.listdir('.')), os.path.islink('soft.txt'))")).isEqualTo("['a.txt', 'chain.txt', 'd', 'hard.txt', 'soft.txt'] False\n");
    }

    @Test
    void thousandsOfSymbolicLinksToABigFileAreRefusedAndSpecialFilesCannotBeMade() {
        runtime.openSession(new SessionSpec("soft", Map.of("keep.txt", "kept"), null));
        long allocated = Allocation.ofAllThreads();
        ToolResult result = run("soft", """
                import os
                open('big.bin', 'wb').write(b'x' * (4 << 20))
                for i in range(3000):
                    os.symlink('big.bin', 's%d' % i)
                for make in ('mkfifo', 'mknod'):
                    assert not hasattr(os, make), make  # WASI has no special files: nothing to skip in a code workspace
                """);
        assertThat(result.errorType()).as(result.result()).isEqualTo(ErrorType.QuotaExceeded);
        assertThat(Allocation.ofAllThreads() - allocated).as("bytes allocated: the 3,000 links were not read").isLessThan(1L << 30);
        assertThat(runtime.exportFiles("soft")).containsExactly(Map.entry("keep.txt", "kept"));
    }

    @Test
    void emptyDirectoriesTheCodeMadeAreKeptAndOnesItRemovedAreGone() {
        runtime.openSession(new SessionSpec("dirs", Map.of("src/main.py", "print(1)"), null));
        stdout("dirs", "import os\nos.makedirs('build/out')\nos.mkdir('empty')\nos.makedirs('src/new')");
        String listing = runtime.execute(new ToolCall("dirs", null, "list_directory", Json.object())).result();
        assertThat(listing).contains("build", "empty", "src");
        assertThat(stdout("dirs", "import os\nprint(sorted(os.listdir('.')), os.listdir('build'), sorted(os.listdir('src')))"))
                .isEqualTo("['build', 'empty', 'src'] ['out'] ['main.py', 'new']\n");
        stdout("dirs", "import os\nos.rmdir('empty')\nos.rmdir('build/out')");
        assertThat(stdout("dirs", "import os\nprint(sorted(os.listdir('.')))")).isEqualTo("['build', 'src']\n");
    }

    @Test
    void twentyThousandDirectoriesAreRefusedAtTheEntryQuota() {
        runtime.openSession(new SessionSpec("many", Map.of("keep.txt", "kept"), null));
        ToolResult result = run("many", "import os\nfor i in range(20000):\n    os.mkdir('d%d' % i)");
        assertThat(result.errorType()).as(result.result()).isEqualTo(ErrorType.QuotaExceeded);
        assertThat(result.result()).contains("would hold more than 10000 files, directories and links");
        assertThat(stdout("many", "import os\nprint(os.listdir('.'))")).isEqualTo("['keep.txt']\n");
    }

    @Test
    void namesTheSessionWouldStoreUnderAnotherNameAreRefusedWhole() {
        runtime.openSession(new SessionSpec("names", Map.of("keep.txt", "kept"), null));
        ToolResult invalid = run("names", "open(b'bad\\xff', 'w').write('1')\nopen(b'bad\\xfe', 'w').write('2')\nopen('fine.txt', 'w').write('3')");
        assertThat(invalid.errorType()).as(invalid.result()).isEqualTo(ErrorType.InvalidArguments);
        assertThat(invalid.result()).contains("'bad\uFFFD'").contains("not valid UTF-8");
        ToolResult backslash = run("names", "open('a\\\\b', 'w').write('1')\nopen('fine.txt', 'w').write('3')");
        assertThat(backslash.errorType()).as(backslash.result()).isEqualTo(ErrorType.InvalidArguments);
        assertThat(backslash.result()).contains("'a\\b', which the session would store as 'a/b'");
        assertThat(runtime.exportFiles("names")).containsExactly(Map.entry("keep.txt", "kept"));
    }
}
