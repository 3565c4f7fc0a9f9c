package dev.spindle.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.files.PathPolicy;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.runtime.ToolRuntime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.node.ObjectNode;

@Timeout(30)
class VfsToolsTest {
    ToolRuntime runtime = ToolRuntime.builder().withComponent(new VfsComponent()).build();

    @AfterEach
    void close() {
        runtime.close();
    }

    ToolResult run(String tool, Object... keyValues) {
        return runIn("s", tool, keyValues);
    }

    ToolResult runIn(String session, String tool, Object... keyValues) {
        ObjectNode args = Json.object();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object value = keyValues[i + 1];
            if (value instanceof Boolean b) {
                args.put((String) keyValues[i], b);
            } else {
                args.put((String) keyValues[i], (String) value);
            }
        }
        return runtime.execute(new ToolCall(session, "vfs", tool, args));
    }

    String ok(String tool, Object... keyValues) {
        ToolResult result = run(tool, keyValues);
        assertThat(result.success()).as("%s failed: %s", tool, result.result()).isTrue();
        return result.result();
    }

    void fails(ErrorType type, String messagePart, String tool, Object... keyValues) {
        ToolResult result = run(tool, keyValues);
        assertThat(result.success()).as("%s should fail", tool).isFalse();
        assertThat(result.errorType()).isEqualTo(type);
        assertThat(result.result()).contains(messagePart);
    }

    void seed(Map<String, String> files) {
        runtime.openSession(new SessionSpec("s", files, null));
    }

    @Test
    void listsThirteenToolsEachWithAStrictSchema() {
        var tools = new VfsComponent().tools();
        assertThat(tools).extracting(t -> t.definition().name()).containsExactly(
                "read_file", "write_file", "list_files", "delete_file", "list_directory", "make_directory", "move_file",
                "copy_file", "append_file", "edit_file", "search_files", "find_files", "file_info");
        assertThat(tools).allSatisfy(t -> {
            assertThat(t.definition().description()).isNotBlank();
            assertThat(t.definition().inputSchema().path("type").asString()).isEqualTo("object");
            assertThat(t.definition().inputSchema().path("additionalProperties").asBoolean(true)).isFalse();
            assertThat(t.definition().annotations().has("readOnlyHint")).isTrue();
        });
    }

    @Nested
    class ParityTools {
        @Test
        void writeThenReadWithTheReferenceStrings() {
            assertThat(ok("write_file", "file_path", "notes/é.txt", "content", "héllo")).isEqualTo("Successfully wrote 6 bytes to notes/é.txt");
            assertThat(ok("read_file", "file_path", "/notes/é.txt")).isEqualTo("héllo");
            assertThat(ok("read_file", "file_path", "./notes/../notes/é.txt")).isEqualTo("héllo");
        }

        @Test
        void readingAMissingFile() {
            fails(ErrorType.FileNotFound, "File not found: nope.txt", "read_file", "file_path", "nope.txt");
            assertThat(run("read_file", "file_path", "nope.txt").result()).isEqualTo("File not found: nope.txt");
        }

        @Test
        void missingArgumentsUseTheReferenceMessage() {
            fails(ErrorType.InvalidArguments, "Missing required argument: file_path", "read_file");
            fails(ErrorType.InvalidArguments, "Missing required argument: content", "write_file", "file_path", "a");
        }

        @Test
        void listFilesAnswersAJsonArrayInPathOrder() {
            assertThat(ok("list_files")).isEqualTo("[]");
            ok("write_file", "file_path", "b.txt", "content", "");
            ok("write_file", "file_path", "/a/z.txt", "content", "z");
            assertThat(ok("list_files")).isEqualTo("[\"a/z.txt\",\"b.txt\"]");
            assertThat(ok("list_files", "directory", "/")).isEqualTo("[\"a/z.txt\",\"b.txt\"]");
        }

        @Test
        void deleteFile() {
            ok("write_file", "file_path", "x", "content", "1");
            assertThat(ok("delete_file", "file_path", "/x")).isEqualTo("Successfully deleted /x");
            fails(ErrorType.FileNotFound, "File not found: x", "delete_file", "file_path", "x");
        }

        @Test
        void emptyFilesAreFine() {
            ok("write_file", "file_path", "empty", "content", "");
            assertThat(ok("read_file", "file_path", "empty")).isEmpty();
        }

        @Test
        void sessionsAreIsolated() {
            ok("write_file", "file_path", "secret.txt", "content", "mine");
            assertThat(runIn("other", "read_file", "file_path", "secret.txt").errorType()).isEqualTo(ErrorType.FileNotFound);
            assertThat(runIn("other", "list_files").result()).isEqualTo("[]");
        }
    }

    @Nested
    class Directories {
        @Test
        void listFilesNarrowsByDirectoryRecursionAndPattern() {
            seed(Map.of("src/a.py", "", "src/lib/b.py", "", "src/c.txt", "", "top.py", ""));
            assertThat(ok("list_files", "directory", "src")).isEqualTo("[\"src/a.py\",\"src/c.txt\",\"src/lib/b.py\"]");
            assertThat(ok("list_files", "directory", "src", "recursive", false)).isEqualTo("[\"src/a.py\",\"src/c.txt\"]");
            assertThat(ok("list_files", "pattern", "*.py")).isEqualTo("[\"src/a.py\",\"src/lib/b.py\",\"top.py\"]");
            fails(ErrorType.FileNotFound, "Directory not found: nowhere", "list_files", "directory", "nowhere");
            fails(ErrorType.NotADirectory, "Not a directory: top.py", "list_files", "directory", "top.py");
        }

        @Test
        void listDirectoryShowsDirectoriesFirstThenFilesWithSizes() {
            seed(Map.of("src/a.py", "12345", "src/lib/b.py", "", "README.md", "hi"));
            ok("make_directory", "directory", "empty/inner");
            assertThat(ok("list_directory")).isEqualTo("[DIR] empty/\n[DIR] src/\n[FILE] README.md (2 bytes)");
            assertThat(ok("list_directory", "directory", "/src")).isEqualTo("[DIR] lib/\n[FILE] a.py (5 bytes)");
            assertThat(ok("list_directory", "directory", "empty/inner")).isEqualTo("(empty directory)");
            fails(ErrorType.FileNotFound, "Directory not found", "list_directory", "directory", "missing");
        }

        @Test
        void makeDirectoryIsIdempotentAndRefusesFiles() {
            assertThat(ok("make_directory", "directory", "a/b")).isEqualTo("Successfully created directory a/b");
            assertThat(ok("make_directory", "directory", "a/b")).isEqualTo("Directory a/b already exists");
            assertThat(ok("make_directory", "directory", "a")).isEqualTo("Directory a already exists");
            ok("write_file", "file_path", "f", "content", "x");
            fails(ErrorType.AlreadyExists, "already exists as a file", "make_directory", "directory", "f");
            fails(ErrorType.NotADirectory, "'f' is a file", "make_directory", "directory", "f/sub");
        }

        @Test
        void filesAndDirectoriesCannotShareAName() {
            ok("write_file", "file_path", "a/b.txt", "content", "x");
            fails(ErrorType.IsADirectory, "Is a directory: a", "write_file", "file_path", "a", "content", "y");
            fails(ErrorType.IsADirectory, "Is a directory: a", "read_file", "file_path", "a");
            fails(ErrorType.NotADirectory, "'a/b.txt' is a file", "write_file", "file_path", "a/b.txt/c", "content", "y");
        }
    }

    @Nested
    class MoveAndCopy {
        @Test
        void movesAFileAndRefusesToOverwrite() {
            seed(Map.of("a.txt", "A", "b.txt", "B"));
            assertThat(ok("move_file", "source", "a.txt", "destination", "docs/a.txt")).isEqualTo("Successfully moved a.txt to docs/a.txt");
            assertThat(ok("list_files")).isEqualTo("[\"b.txt\",\"docs/a.txt\"]");
            fails(ErrorType.AlreadyExists, "Destination already exists: b.txt", "move_file", "source", "docs/a.txt", "destination", "b.txt");
            fails(ErrorType.FileNotFound, "No such file or directory: a.txt", "move_file", "source", "a.txt", "destination", "c.txt");
        }

        @Test
        void movesAndCopiesWholeDirectories() {
            seed(Map.of("src/a.py", "A", "src/lib/b.py", "B", "other.txt", "O"));
            ok("make_directory", "directory", "src/empty");
            ok("copy_file", "source", "src", "destination", "backup/src");
            assertThat(ok("read_file", "file_path", "backup/src/lib/b.py")).isEqualTo("B");
            assertThat(ok("list_directory", "directory", "backup/src")).isEqualTo("[DIR] empty/\n[DIR] lib/\n[FILE] a.py (1 bytes)");
            ok("move_file", "source", "src", "destination", "app");
            assertThat(ok("list_files")).isEqualTo("[\"app/a.py\",\"app/lib/b.py\",\"backup/src/a.py\",\"backup/src/lib/b.py\",\"other.txt\"]");
            fails(ErrorType.InvalidArguments, "inside itself", "move_file", "source", "app", "destination", "app/inner");
        }

        @Test
        void copiesDivergeFromTheOriginal() {
            seed(Map.of("a.txt", "A"));
            ok("copy_file", "source", "a.txt", "destination", "b.txt");
            ok("write_file", "file_path", "b.txt", "content", "changed");
            assertThat(ok("read_file", "file_path", "a.txt")).isEqualTo("A");
        }
    }

    @Nested
    class Editing {
        @Test
        void appendCreatesThenExtends() {
            assertThat(ok("append_file", "file_path", "log.txt", "content", "one\n")).isEqualTo("Successfully appended 4 bytes to log.txt (now 4 bytes)");
            assertThat(ok("append_file", "file_path", "log.txt", "content", "two\n")).isEqualTo("Successfully appended 4 bytes to log.txt (now 8 bytes)");
            assertThat(ok("read_file", "file_path", "log.txt")).isEqualTo("one\ntwo\n");
        }

        @Test
        void editReplacesExactlyOneOccurrence() {
            seed(Map.of("config.json", "{\"debug\": true, \"verbose\": true}"));
            assertThat(ok("edit_file", "file_path", "config.json", "old_string", "\"debug\": true", "new_string", "\"debug\": false"))
                    .isEqualTo("Successfully replaced 1 occurrence in config.json");
            assertThat(ok("read_file", "file_path", "config.json")).isEqualTo("{\"debug\": false, \"verbose\": true}");
        }

        @Test
        void editRefusesAbsentOrAmbiguousText() {
            seed(Map.of("f.txt", "a $1 a"));
            fails(ErrorType.InvalidArguments, "old_string was not found in f.txt", "edit_file", "file_path", "f.txt", "old_string", "zzz", "new_string", "y");
            fails(ErrorType.InvalidArguments, "occurs 2 times", "edit_file", "file_path", "f.txt", "old_string", "a", "new_string", "b");
            fails(ErrorType.InvalidArguments, "old_string", "edit_file", "file_path", "f.txt", "old_string", "", "new_string", "b");
            fails(ErrorType.FileNotFound, "File not found: g.txt", "edit_file", "file_path", "g.txt", "old_string", "a", "new_string", "b");
            assertThat(ok("read_file", "file_path", "f.txt")).isEqualTo("a $1 a");
            assertThat(ok("edit_file", "file_path", "f.txt", "old_string", "a", "new_string", "\\$2", "replace_all", true))
                    .isEqualTo("Successfully replaced 2 occurrences in f.txt");
            assertThat(ok("read_file", "file_path", "f.txt")).isEqualTo("\\$2 $1 \\$2");
            assertThat(ok("edit_file", "file_path", "f.txt", "old_string", "$1", "new_string", "$0")).contains("1 occurrence");
            assertThat(ok("read_file", "file_path", "f.txt")).isEqualTo("\\$2 $0 \\$2");
        }
    }

    @Nested
    class Searching {
        @Test
        void searchAnswersGrepStyleLines() {
            seed(Map.of("src/a.py", "import os\ndef main():\n    print('TODO')\n", "src/b.txt", "TODO: b\n", "README", "nothing"));
            assertThat(ok("search_files", "pattern", "TODO")).isEqualTo("src/a.py:3:    print('TODO')\nsrc/b.txt:1:TODO: b");
            assertThat(ok("search_files", "pattern", "TODO", "glob", "*.py")).isEqualTo("src/a.py:3:    print('TODO')");
            assertThat(ok("search_files", "pattern", "^def \\w+", "directory", "src")).isEqualTo("src/a.py:2:def main():");
            assertThat(ok("search_files", "pattern", "absent")).isEqualTo("No matches found");
            fails(ErrorType.InvalidArguments, "Invalid regular expression", "search_files", "pattern", "(unclosed");
        }

        @Test
        void aCatastrophicRegexTimesOutInsteadOfHanging() {
            seed(Map.of("evil.txt", "a".repeat(40), "long.txt", "ab".repeat(500_000)));
            long start = System.nanoTime();
            fails(ErrorType.Timeout, "time limit of 2000 ms", "search_files", "pattern", "(.*a){20}b", "glob", "evil.txt");
            fails(ErrorType.InvalidArguments, "too complex", "search_files", "pattern", "(a|b)*c", "glob", "long.txt");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        }

        @Test
        void theDeadlineCoversTheWholeSearchNotEachLine() {
            // Each line costs a few thousand reads (never enough to reach a per-line check); together they take over 10 s here.
            String lines = "aaaaaaaaa\n".repeat(350_000);
            seed(Map.of("one.txt", lines, "two.txt", lines, "three.txt", lines));
            long start = System.nanoTime();
            fails(ErrorType.Timeout, "time limit of 2000 ms", "search_files", "pattern", "(.*a){6}c");
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8_000);
        }

        @Test
        void aGlobThatWouldBacktrackIsFastAndABadGlobIsInvalidArguments() {
            seed(Map.of("a".repeat(200) + ".txt", "", "src/b.txt", ""));
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                assertThat(ok("find_files", "glob", "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b")).isEqualTo("[]");
            }
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
            for (String bad : new String[] {"[[]", "[z-a]", "{a,b"}) {
                for (ToolResult result : new ToolResult[] {run("find_files", "glob", bad), run("list_files", "pattern", bad), run("search_files", "glob", bad, "pattern", "x")}) {
                    assertThat(result.errorType()).as(bad + ": " + result.result()).isEqualTo(ErrorType.InvalidArguments);
                    assertThat(result.result()).startsWith("Invalid glob '" + bad + "'");
                }
            }
        }

        @Test
        void findFilesByGlob() {
            seed(Map.of("src/a.py", "", "src/test/test_a.py", "", "docs/a.md", ""));
            assertThat(ok("find_files", "glob", "*.py")).isEqualTo("[\"src/a.py\",\"src/test/test_a.py\"]");
            assertThat(ok("find_files", "glob", "src/**/test_*.py")).isEqualTo("[\"src/test/test_a.py\"]");
            assertThat(ok("find_files", "glob", "*.rs")).isEqualTo("[]");
        }

        @Test
        void fileInfoForFilesAndDirectories() {
            seed(Map.of("src/a.py", "one\ntwo\n", "src/b.py", "x", "empty", ""));
            assertThat(ok("file_info", "file_path", "src/a.py")).isEqualTo("{\"path\":\"src/a.py\",\"type\":\"file\",\"size\":8,\"lines\":2}");
            assertThat(ok("file_info", "file_path", "src/b.py")).isEqualTo("{\"path\":\"src/b.py\",\"type\":\"file\",\"size\":1,\"lines\":1}");
            assertThat(ok("file_info", "file_path", "empty")).contains("\"lines\":0");
            assertThat(ok("file_info", "file_path", "/src/")).isEqualTo("{\"path\":\"src\",\"type\":\"directory\",\"files\":2}");
            fails(ErrorType.FileNotFound, "No such file or directory: zz", "file_info", "file_path", "zz");
        }
    }

    @Nested
    class Policy {
        @Test
        void escapesAndDeniedPathsAreRefusedByEveryPathTool() {
            fails(ErrorType.PermissionDenied, "Access denied", "read_file", "file_path", "../../etc/passwd");
            fails(ErrorType.PermissionDenied, "Access denied", "write_file", "file_path", "/etc/cron.d/x", "content", "x");
            fails(ErrorType.PermissionDenied, "Access denied", "list_files", "directory", "/proc");
            fails(ErrorType.PermissionDenied, "Access denied", "list_directory", "directory", "~");
            fails(ErrorType.PermissionDenied, "Access denied", "move_file", "source", "a", "destination", "../a");
            fails(ErrorType.PermissionDenied, "Access denied", "search_files", "pattern", "x", "directory", "/root");
            fails(ErrorType.PermissionDenied, "Access denied", "file_info", "file_path", "/home");
            fails(ErrorType.InvalidArguments, "control character", "write_file", "file_path", "a\u0000b", "content", "x");
            assertThat(ok("list_files")).isEqualTo("[]");
        }

        @Test
        void quotasAnswerQuotaExceededAndWriteNothing() {
            runtime.close();
            runtime = ToolRuntime.builder().withComponent(new VfsComponent()).withQuotas(new Quotas(10, 3, 15))
                    .withPathPolicy(PathPolicy.defaults()).build();
            fails(ErrorType.QuotaExceeded, "the limit per file is 10 bytes", "write_file", "file_path", "big", "content", "x".repeat(11));
            ok("write_file", "file_path", "a", "content", "1234567890");
            fails(ErrorType.QuotaExceeded, "the limit is 15 bytes", "write_file", "file_path", "b", "content", "1234567");
            ok("write_file", "file_path", "b", "content", "12345");
            ok("write_file", "file_path", "a", "content", "1");
            ok("make_directory", "directory", "d");
            fails(ErrorType.QuotaExceeded, "the limit is 3", "write_file", "file_path", "c", "content", "");
            fails(ErrorType.QuotaExceeded, "the limit is 3", "copy_file", "source", "a", "destination", "a2");
            fails(ErrorType.QuotaExceeded, "limit per file", "append_file", "file_path", "b", "content", "123456");
            assertThat(ok("list_files")).isEqualTo("[\"a\",\"b\"]");
            assertThat(ok("read_file", "file_path", "b")).isEqualTo("12345");
        }

        @Test
        void seedingGoesThroughTheSamePolicy() {
            runtime.close();
            runtime = ToolRuntime.builder().withComponent(new VfsComponent()).withQuotas(new Quotas(4, 10, 100)).build();
            var error = org.assertj.core.api.Assertions.catchThrowableOfType(dev.spindle.core.SpindleException.class,
                    () -> runtime.openSession(new SessionSpec("q", Map.of("ok", "1", "big", "12345"), null)));
            assertThat(error.type()).isEqualTo(ErrorType.QuotaExceeded);
            assertThat(runtime.session("q")).isEmpty();
        }
    }
}
