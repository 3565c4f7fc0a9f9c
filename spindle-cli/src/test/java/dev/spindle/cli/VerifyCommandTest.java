package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spindle verify} in process: a dataset made on seed files, replayed with and without the config that seeded it. */
class VerifyCommandTest {
    @TempDir
    Path dir;

    private final InProcessCli cli = new InProcessCli();

    /** A record whose agent read {@code path} and got {@code content}. */
    private static String readRecord(String path, String content) {
        return """
                {"messages":[{"role":"user","content":"What is in %1$s?"},\
                {"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"read_file","arguments":"{\\"file_path\\":\\"%1$s\\"}"}}]},\
                {"role":"tool","tool_call_id":"c1","content":"%2$s"},{"role":"assistant","content":"That."}]}
                """.formatted(path, content);
    }

    private Path dataset(String... records) throws IOException {
        return Files.writeString(dir.resolve("seeded.jsonl"), String.join("", records));
    }

    private Path config() throws IOException {
        return Files.writeString(dir.resolve("config.yaml"), """
                llm: {provider: openai, model: gpt-4o-mini}
                topics: {list: [a]}
                generation:
                  tools:
                    components: {builtin: [read_file]}
                    scenario_seed:
                      files: {config.json: "debug", notes.md: "todo"}
                output: {num_samples: 1, save_as: out.jsonl}
                """);
    }

    @Test
    void everyRecordMissingItsFilesSaysASeedIsProbablyMissingAndNamesConfig() throws IOException {
        Path dataset = dataset(readRecord("config.json", "debug"), readRecord("notes.md", "todo"));

        assertThat(cli.run("verify", dataset.toString())).isEqualTo(1);

        assertThat(cli.out()).contains("record 1: mismatch", "record 2: mismatch", "verified 2 records: 2 mismatch");
        assertThat(cli.err()).contains("none of the 2 records reproduced", "no file", "seed files",
                "--config CONFIG");
    }

    @Test
    void withTheConfigThatSeededItTheSameDatasetVerifiesAndNothingIsHinted() throws IOException {
        Path dataset = dataset(readRecord("config.json", "debug"), readRecord("notes.md", "todo"));

        assertThat(cli.run("verify", dataset.toString(), "--config", config().toString())).isZero();

        assertThat(cli.out()).contains("verified 2 records: 2 ok");
        assertThat(cli.err()).doesNotContain("seed");
    }

    @Test
    void mismatchesThatAreNotMissingFilesHintNothing() throws IOException {
        Path dataset = dataset(readRecord("config.json", "invented"), readRecord("notes.md", "invented"));

        assertThat(cli.run("verify", dataset.toString(), "--config", config().toString())).isEqualTo(1);

        assertThat(cli.out()).contains("verified 2 records: 2 mismatch");
        assertThat(cli.err()).doesNotContain("seed");
    }

    @Test
    void oneRecordThatReproducesHintsNothing() throws IOException {
        Path dataset = dataset(readRecord("config.json", "debug"), readRecord("absent.md", "Error (FileNotFound): File not found: absent.md"));

        cli.run("verify", dataset.toString());

        assertThat(cli.out()).contains("1 mismatch");
        assertThat(cli.err()).doesNotContain("seed");
    }
}
