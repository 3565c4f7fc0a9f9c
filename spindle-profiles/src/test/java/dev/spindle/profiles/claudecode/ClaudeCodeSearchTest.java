package dev.spindle.profiles.claudecode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Glob, Grep and LS over HTTP: Claude Code's answers, their limits and their errors. */
@Timeout(60)
class ClaudeCodeSearchTest {
    @TempDir
    Path home;
    ProfileServer s;

    @BeforeEach
    void start() {
        s = new ProfileServer(home);
        s.writeBehind("w", "README.md", "# demo\nTODO: docs\n");
        s.writeBehind("w", "src/app.py", "import os\n# TODO: fix\ndef main():\n    return 1\n");
        s.writeBehind("w", "src/util/strings.py", "def todo():\n    pass\n");
        s.writeBehind("w", "tests/test_app.py", "from src.app import main\n\ndef test_main():\n    assert main() == 1\n");
        s.writeBehind("w", ".git/HEAD", "TODO: not shown\n");
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void globAnswersAbsolutePathsAPatternWithoutSlashStaysInTheDirectory() {
        assertThat(s.ok("w", "Glob", "{\"pattern\":\"**/*.py\"}")).isEqualTo("/workspace/src/app.py\n/workspace/src/util/strings.py\n/workspace/tests/test_app.py");
        assertThat(s.ok("w", "Glob", "{\"pattern\":\"*.py\",\"path\":\"/workspace/src\"}")).isEqualTo("/workspace/src/app.py");
        assertThat(s.ok("w", "Glob", "{\"pattern\":\"*.rs\"}")).isEqualTo("No files found");
        assertThat(s.fails("w", "Glob", "{\"pattern\":\"*\",\"path\":\"/workspace/nope\"}", "FileNotFound")).isEqualTo("Directory does not exist: /workspace/nope");
        assertThat(s.fails("w", "Glob", "{\"pattern\":\"*\",\"path\":\"/workspace/README.md\"}", "NotADirectory")).isEqualTo("Path is not a directory: /workspace/README.md");
        assertThat(s.fails("w", "Glob", "{\"pattern\":\"*\",\"path\":\"/tmp\"}", "PermissionDenied")).contains("outside the working directory");
    }

    @Test
    void globStopsAtAHundredFilesAndSaysSo() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            s.writeBehind("many", String.format("f%03d.txt", i), "x");
        }
        String answer = s.ok("many", "Glob", "{\"pattern\":\"*.txt\"}");
        assertThat(answer.lines()).hasSize(101).first().isEqualTo("/workspace/f000.txt");
        assertThat(answer).endsWith("/workspace/f099.txt\n(Results are truncated. Consider using a more specific path or pattern.)");
    }

    @Test
    void grepListsMatchingFilesByDefault() {
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"TODO\"}")).isEqualTo("Found 2 files\n/workspace/README.md\n/workspace/src/app.py");
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"todo\",\"-i\":true,\"type\":\"py\"}")).isEqualTo("Found 2 files\n/workspace/src/app.py\n/workspace/src/util/strings.py");
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"todo\",\"glob\":\"*.md\"}")).isEqualTo("No files found");
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"def\",\"path\":\"/workspace/tests\"}")).isEqualTo("Found 1 file\n/workspace/tests/test_app.py");
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"import\",\"head_limit\":1}")).isEqualTo("Found 1 file\n/workspace/src/app.py");
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"docs\",\"path\":\"/workspace\"}")).isEqualTo("Found 1 file\n/workspace/README.md");
        assertThat(s.fails("w", "Grep", "{\"pattern\":\"x\",\"path\":\"/workspace/nope\"}", "FileNotFound")).isEqualTo("Directory does not exist: /workspace/nope");
    }

    @Test
    void grepShowsLinesWithNumbersAndContextOrCounts() {
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"TODO\",\"output_mode\":\"content\",\"-n\":true}"))
                .isEqualTo("/workspace/README.md:2:TODO: docs\n/workspace/src/app.py:2:# TODO: fix");
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"main\",\"path\":\"/workspace/src/app.py\",\"output_mode\":\"content\",\"-n\":true,\"-B\":1}"))
                .isEqualTo("2-# TODO: fix\n3:def main():");
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"def|import\",\"output_mode\":\"count\"}")).isEqualTo(
                "/workspace/src/app.py:2\n/workspace/src/util/strings.py:1\n/workspace/tests/test_app.py:2\n\nFound 5 total occurrences across 3 files.");
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"nothing here\",\"output_mode\":\"content\"}")).isEqualTo("No matches found");
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"main\\\\(\\\\):\\\\n    return\",\"multiline\":true}")).isEqualTo("Found 1 file\n/workspace/src/app.py");
    }

    @Test
    void grepRefusesABadPatternAnUnknownTypeAndStopsACatastrophicOne() {
        assertThat(s.fails("w", "Grep", "{\"pattern\":\"(unclosed\"}", "InvalidArguments")).startsWith("Invalid regular expression");
        assertThat(s.fails("w", "Grep", "{\"pattern\":\"x\",\"type\":\"cobol\"}", "InvalidArguments")).startsWith("rg: unrecognized file type: cobol");
        s.writeBehind("slow", "a.txt", "a".repeat(40) + "\n");
        assertThat(s.fails("slow", "Grep", "{\"pattern\":\"(.*a){12}b\",\"output_mode\":\"content\"}", "Timeout")).isNotEmpty();
        assertThat(s.ok("w", "Grep", "{\"pattern\":\"TODO\"}")).startsWith("Found 2 files");
    }

    @Test
    void lsDrawsTheTreeWithoutHiddenEntriesOrIgnoredOnes() {
        assertThat(s.ok("w", "LS", "{\"path\":\"/workspace\"}")).isEqualTo("""
                - /workspace/
                  - README.md
                  - src/
                    - app.py
                    - util/
                      - strings.py
                  - tests/
                    - test_app.py
                """);
        assertThat(s.ok("w", "LS", "{\"path\":\"/workspace/src\",\"ignore\":[\"util\"]}")).isEqualTo("- /workspace/src/\n  - app.py\n");
        assertThat(s.fails("w", "LS", "{\"path\":\"/workspace/missing\"}", "FileNotFound")).isEqualTo("Directory does not exist: /workspace/missing");
    }
}
