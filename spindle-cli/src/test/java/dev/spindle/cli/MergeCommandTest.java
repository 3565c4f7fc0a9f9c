package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit codes of {@code spindle merge} and {@code generate --shard}: a refused input is a usage error (2). */
class MergeCommandTest {
    @TempDir
    Path dir;

    private final InProcessCli cli = new InProcessCli();

    private int run(String... args) {
        return cli.run(args);
    }

    private Path part(String name, int... indices) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int index : indices) {
            lines.append("{\"messages\":[],\"metadata\":{\"sample_index\":").append(index).append("}}\n");
        }
        return Files.writeString(dir.resolve(name), lines);
    }

    @Test
    void partsAreJoinedInSampleOrder() throws IOException {
        Path out = dir.resolve("all.jsonl");

        assertThat(run("merge", out.toString(), part("b.jsonl", 1, 3).toString(), part("a.jsonl", 2, 0).toString())).isZero();

        assertThat(Files.readAllLines(out)).extracting(line -> line.replaceAll(".*\"sample_index\":(\\d+).*", "$1")).containsExactly("0", "1", "2", "3");
    }

    @Test
    void aDuplicateOrAGapIsRefusedWithExit2AndNoOutput() throws IOException {
        Path out = dir.resolve("all.jsonl");

        assertThat(run("merge", out.toString(), part("a.jsonl", 0, 1).toString(), part("b.jsonl", 1, 2).toString())).isEqualTo(2);
        assertThat(cli.err()).contains("spindle: sample 1 is in both");
        assertThat(run("merge", out.toString(), part("c.jsonl", 0, 2).toString())).isEqualTo(2);
        assertThat(cli.err()).contains("spindle: no part holds sample 1");
        assertThat(out).doesNotExist();
    }

    @Test
    void aShardBeyondItsCountIsAUsageError() {
        assertThat(run("generate", "--shard", "3/2", dir.resolve("config.yaml").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("--shard 3/2: K must be between 1 and N");
        assertThat(run("generate", "--shard", "two", dir.resolve("config.yaml").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("--shard two: expected K/N");
    }
}
