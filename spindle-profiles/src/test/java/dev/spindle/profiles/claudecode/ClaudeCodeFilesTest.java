package dev.spindle.profiles.claudecode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Read, Write, Edit and MultiEdit over HTTP: their texts, each documented error, and the read-before-write rule. */
@Timeout(60)
class ClaudeCodeFilesTest {
    private static final String APP = "def add(a, b):\n    return a - b\n\n\ndef sub(a, b):\n    return a - b\n";

    @TempDir
    Path home;
    ProfileServer s;

    @BeforeEach
    void start() {
        s = new ProfileServer(home);
        s.writeBehind("w", "app.py", APP);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void readAnswersNumberedLinesFromOffsetUpToLimit() {
        assertThat(s.ok("w", "Read", "{\"file_path\":\"/workspace/app.py\"}")).isEqualTo(String.join("\n",
                "     1\u2192def add(a, b):", "     2\u2192    return a - b", "     3\u2192", "     4\u2192", "     5\u2192def sub(a, b):", "     6\u2192    return a - b"));
        assertThat(s.ok("w", "Read", "{\"file_path\":\"app.py\",\"offset\":5,\"limit\":1}")).isEqualTo("     5\u2192def sub(a, b):");
        assertThat(s.ok("w", "Read", "{\"file_path\":\"/workspace/app.py\",\"offset\":9}"))
                .isEqualTo("<system-reminder>Warning: the file exists but is shorter than the provided offset (9). The file has 6 lines.</system-reminder>");
        s.writeBehind("w", "empty.txt", "");
        assertThat(s.ok("w", "Read", "{\"file_path\":\"/workspace/empty.txt\"}"))
                .isEqualTo("<system-reminder>Warning: the file exists but the contents are empty.</system-reminder>");
        s.writeBehind("w", "long.txt", "x".repeat(2500) + "\n");
        assertThat(s.ok("w", "Read", "{\"file_path\":\"/workspace/long.txt\"}")).isEqualTo("     1\u2192" + "x".repeat(2000));
    }

    @Test
    void readRefusesWhatIsMissingADirectoryOrOutsideTheWorkspace() {
        assertThat(s.fails("w", "Read", "{\"file_path\":\"/workspace/nope.py\"}", "FileNotFound")).isEqualTo("File does not exist.");
        s.writeBehind("w", "src/a.py", "a\n");
        assertThat(s.fails("w", "Read", "{\"file_path\":\"/workspace/src\"}", "IsADirectory")).isEqualTo("EISDIR: illegal operation on a directory, /workspace/src");
        assertThat(s.fails("w", "Read", "{\"file_path\":\"/etc/passwd\"}", "PermissionDenied")).contains("outside the working directory /workspace");
        assertThat(s.fails("w", "Read", "{\"file_path\":\"/workspace/../etc/passwd\"}", "PermissionDenied")).contains("outside");
        assertThat(s.fails("w", "Read", "{\"file_path\":\"/workspace/app.py\",\"limit\":\"ten\"}", "InvalidArguments")).contains("limit");
    }

    @Test
    void writeCreatesAFileAndReplacesOnlyOneThisSessionRead() {
        assertThat(s.ok("w", "Write", "{\"file_path\":\"/workspace/new/notes.md\",\"content\":\"one\\n\"}"))
                .isEqualTo("File created successfully at: /workspace/new/notes.md");
        assertThat(s.file("w", "new/notes.md")).isEqualTo("one\n");
        assertThat(s.fails("w", "Write", "{\"file_path\":\"/workspace/app.py\",\"content\":\"x\"}", "NotAllowed"))
                .isEqualTo("File has not been read yet. Read it first before writing to it.");
        assertThat(s.file("w", "app.py")).isEqualTo(APP);
        s.ok("w", "Read", "{\"file_path\":\"/workspace/app.py\"}");
        assertThat(s.ok("w", "Write", "{\"file_path\":\"/workspace/app.py\",\"content\":\"print(1)\\nprint(2)\\n\"}")).isEqualTo("""
                The file /workspace/app.py has been updated. Here's the result of running `cat -n` on a snippet of the edited file:
                     1\u2192print(1)
                     2\u2192print(2)""");
        // what it wrote itself counts as seen
        assertThat(s.ok("w", "Write", "{\"file_path\":\"/workspace/new/notes.md\",\"content\":\"two\\n\"}")).startsWith("The file /workspace/new/notes.md has been updated.");
    }

    @Test
    void aFileChangedSinceItWasReadMustBeReadAgain() {
        s.ok("w", "Read", "{\"file_path\":\"/workspace/app.py\"}");
        s.writeBehind("w", "app.py", APP + "# linted\n");
        assertThat(s.fails("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"a - b\",\"new_string\":\"a + b\",\"replace_all\":true}", "Conflict"))
                .isEqualTo("File has been modified since read, either by the user or by a linter. Read it again before attempting to write it.");
        assertThat(s.file("w", "app.py")).isEqualTo(APP + "# linted\n");
        s.ok("w", "Read", "{\"file_path\":\"/workspace/app.py\",\"offset\":7,\"limit\":1}");
        assertThat(s.ok("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"# linted\",\"new_string\":\"# ok\"}")).contains("# ok");
    }

    @Test
    void editReplacesOneUniqueMatchAndShowsItInContext() {
        assertThat(s.fails("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"def add\",\"new_string\":\"def plus\"}", "NotAllowed"))
                .isEqualTo("File has not been read yet. Read it first before writing to it.");
        s.ok("w", "Read", "{\"file_path\":\"/workspace/app.py\"}");
        assertThat(s.ok("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"def add(a, b):\\n    return a - b\",\"new_string\":\"def add(a, b):\\n    return a + b\"}"))
                .isEqualTo("""
                        The file /workspace/app.py has been updated. Here's the result of running `cat -n` on a snippet of the edited file:
                             1\u2192def add(a, b):
                             2\u2192    return a + b
                             3\u2192
                             4\u2192
                             5\u2192def sub(a, b):
                             6\u2192    return a - b""");
        assertThat(s.file("w", "app.py")).isEqualTo(APP.replaceFirst("a - b", "a + b"));
    }

    @Test
    void editRefusesAnAmbiguousAMissingOrANoOpReplacement() {
        s.ok("w", "Read", "{\"file_path\":\"/workspace/app.py\"}");
        assertThat(s.fails("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"a - b\",\"new_string\":\"a + b\"}", "InvalidArguments")).isEqualTo(
                "Found 2 matches of the string to replace, but replace_all is false. To replace all occurrences, set replace_all to true. "
                        + "To replace only one occurrence, please provide more context to uniquely identify the instance.\nString: a - b");
        assertThat(s.fails("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"a * b\",\"new_string\":\"a + b\"}", "InvalidArguments"))
                .isEqualTo("String to replace not found in file.\nString: a * b");
        assertThat(s.fails("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"a - b\",\"new_string\":\"a - b\"}", "InvalidArguments"))
                .isEqualTo("No changes to make: old_string and new_string are exactly the same.");
        assertThat(s.fails("w", "Edit", "{\"file_path\":\"/workspace/gone.py\",\"old_string\":\"x\",\"new_string\":\"y\"}", "FileNotFound")).isEqualTo("File does not exist.");
        assertThat(s.fails("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"\",\"new_string\":\"y\"}", "AlreadyExists"))
                .isEqualTo("Cannot create new file - file already exists.");
        assertThat(s.file("w", "app.py")).isEqualTo(APP);
        assertThat(s.ok("w", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"a - b\",\"new_string\":\"a + b\",\"replace_all\":true}"))
                .isEqualTo("The file /workspace/app.py has been updated. All occurrences of 'a - b' were successfully replaced with 'a + b'.");
        assertThat(s.file("w", "app.py")).isEqualTo(APP.replace("a - b", "a + b"));
        assertThat(s.ok("w", "Edit", "{\"file_path\":\"/workspace/fresh.py\",\"old_string\":\"\",\"new_string\":\"x = 1\\n\"}")).contains("1\u2192x = 1");
        assertThat(s.file("w", "fresh.py")).isEqualTo("x = 1\n");
    }

    @Test
    void multiEditAppliesEveryEditInOrderOrNone() {
        s.ok("w", "Read", "{\"file_path\":\"/workspace/app.py\"}");
        String bad = "{\"file_path\":\"/workspace/app.py\",\"edits\":[{\"old_string\":\"def add\",\"new_string\":\"def plus\"},{\"old_string\":\"a * b\",\"new_string\":\"c\"}]}";
        assertThat(s.fails("w", "MultiEdit", bad, "InvalidArguments")).isEqualTo("String to replace not found in file.\nString: a * b");
        assertThat(s.file("w", "app.py")).isEqualTo(APP);
        String chained = "{\"file_path\":\"/workspace/app.py\",\"edits\":[{\"old_string\":\"def add\",\"new_string\":\"def plus_one\"},{\"old_string\":\"plus\",\"new_string\":\"x\"}]}";
        assertThat(s.fails("w", "MultiEdit", chained, "InvalidArguments")).isEqualTo("Cannot edit file: old_string is a substring of a new_string from a previous edit.");
        String good = "{\"file_path\":\"/workspace/app.py\",\"edits\":[{\"old_string\":\"def add\",\"new_string\":\"def plus\"},"
                + "{\"old_string\":\"a - b\",\"new_string\":\"a + b\",\"replace_all\":true}]}";
        assertThat(s.ok("w", "MultiEdit", good)).isEqualTo("Applied 2 edits to /workspace/app.py:\n1. Replaced \"def add\" with \"def plus\"\n2. Replaced \"a - b\" with \"a + b\"");
        assertThat(s.file("w", "app.py")).isEqualTo(APP.replace("def add", "def plus").replace("a - b", "a + b"));
        assertThat(s.fails("w", "MultiEdit", "{\"file_path\":\"/workspace/app.py\",\"edits\":[]}", "InvalidArguments")).contains("edits");
    }

    @Test
    void whatWasReadForksWithTheSession() {
        s.ok("w", "Read", "{\"file_path\":\"/workspace/app.py\"}");
        s.post("/sessions/w/fork", "{\"session_id\":\"copy\"}");
        assertThat(s.ok("copy", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"def sub\",\"new_string\":\"def minus\"}")).contains("def minus");
        assertThat(s.file("w", "app.py")).isEqualTo(APP);
        // another session has read nothing
        s.writeBehind("other", "app.py", APP);
        s.fails("other", "Edit", "{\"file_path\":\"/workspace/app.py\",\"old_string\":\"def sub\",\"new_string\":\"def minus\"}", "NotAllowed");
    }
}
