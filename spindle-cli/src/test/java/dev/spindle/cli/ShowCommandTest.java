package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spindle show}: a record as a conversation; a missing record or file is a usage error (2). */
class ShowCommandTest {
    static final String RECORD = """
            {"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"What is in a.txt?"},\
            {"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"read_file","arguments":"{\\"file_path\\":\\"a.txt\\"}"}}]},\
            {"role":"tool","tool_call_id":"c1","content":"line one\\nline two"},{"role":"assistant","content":"Two lines."}],\
            "reasoning":{"style":"agent","content":[{"step_number":1,"thought":"Read the file first."}]}}""";

    @TempDir
    Path dir;

    private final InProcessCli cli = new InProcessCli();

    @Test
    void printsTheRecordOnTheGivenLineAsAConversation() throws IOException {
        Path dataset = Files.writeString(dir.resolve("run.jsonl"), "{\"messages\":[{\"role\":\"user\",\"content\":\"first\"}]}\n" + RECORD + "\n");

        assertThat(cli.run("show", dataset.toString(), "--record", "2")).isZero();

        assertThat(cli.out()).isEqualTo("""
                == run.jsonl, line 2
                [system]
                  You are terse.
                [user]
                  What is in a.txt?
                [reasoning]
                  Read the file first.
                [tool call read_file]
                  {"file_path":"a.txt"}
                [tool result read_file]
                  line one
                  line two
                [final answer]
                  Two lines.
                """);
    }

    @Test
    void printsCodeArgumentsAsCodeAndTheOtherArgumentsAsJson() throws IOException {
        String record = """
                {"messages":[{"role":"user","content":"Run it."},\
                {"role":"assistant","content":"","tool_calls":[\
                {"id":"c1","type":"function","function":{"name":"run_python","arguments":"{\\"code\\":\\"import json\\\\nfor i in range(2):\\\\n    print(i)\\",\\"timeout_ms\\":2000}"}},\
                {"id":"c2","type":"function","function":{"name":"run_javascript","arguments":"{\\"code\\":\\"console.log(1)\\"}"}},\
                {"id":"c3","type":"function","function":{"name":"write_file","arguments":"{\\"file_path\\":\\"a.md\\",\\"content\\":\\"# A\\\\n\\\\nline\\"}"}}]},\
                {"role":"assistant","content":"Done."}]}""";
        Path dataset = Files.writeString(dir.resolve("code.jsonl"), record + "\n");

        assertThat(cli.run("show", dataset.toString())).isZero();

        assertThat(cli.out()).isEqualTo("""
                == code.jsonl, line 1
                [user]
                  Run it.
                [tool call run_python]
                  {"timeout_ms":2000}
                  code:
                    import json
                    for i in range(2):
                        print(i)
                [tool call run_javascript]
                  code:
                    console.log(1)
                [tool call write_file]
                  {"file_path":"a.md"}
                  content:
                    # A

                    line
                [final answer]
                  Done.
                """);
    }

    @Test
    void showsTheFirstRecordByDefault() throws IOException {
        Path dataset = Files.writeString(dir.resolve("run.jsonl"), RECORD + "\n");
        assertThat(cli.run("show", dataset.toString())).isZero();
        assertThat(cli.out()).startsWith("== run.jsonl, line 1\n[system]");
    }

    @Test
    void aMissingRecordOrFileIsAUsageError() throws IOException {
        Path dataset = Files.writeString(dir.resolve("run.jsonl"), RECORD + "\nnot json\n");
        assertThat(cli.run("show", dataset.toString(), "--record", "5")).isEqualTo(2);
        assertThat(cli.err()).contains("has no record on line 5");
        assertThat(cli.run("show", dataset.toString(), "--record", "2")).isEqualTo(2);
        assertThat(cli.err()).contains("line 2 is not JSON");
        assertThat(cli.run("show", dir.resolve("absent.jsonl").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("cannot be read");
    }
}
