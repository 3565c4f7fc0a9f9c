package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.testing.FakeGitHub;
import dev.spindle.testing.FakeLlm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset made with GitHub tools against a (fake) GitHub with {@code --github-record}, then verified
 * with {@code --github-replay} once that GitHub is gone: every record reproduces, offline.
 */
class GitHubRecordReplayTest {
    @TempDir
    Path dir;

    private final InProcessCli cli = new InProcessCli();

    private int run(String... args) {
        return cli.run(args);
    }

    private Path config(FakeLlm llm, String extraTools) throws IOException {
        return Files.writeString(dir.resolve("gen.yaml"), """
                llm: {provider: openai, model: fake, base_url: "%s"}
                topics: {list: ["a github issue"]}
                generation:
                  conversation: {type: cot, reasoning_style: agent}
                  tools:
                    %s
                    components:
                      builtin: [read_file, list_files]
                      github: [gh_get_issue, gh_get_file_contents]
                    max_per_query: 5
                    scenario_seed: {files: {README.md: "# hello\\nLocal copy.\\n"}}
                output: {num_samples: 3, batch_size: 1, save_as: "%s"}
                """.formatted(llm.baseUrl, extraTools, dir.resolve("out.jsonl")));
    }

    @Test
    void aDatasetMadeWithGitHubToolsVerifiesFromItsRecordingsWithGitHubGone() throws Exception {
        Path recordings = dir.resolve("recordings");
        try (FakeLlm llm = FakeLlm.start()) {
            Path config = config(llm, "");
            String goneGitHub;
            try (FakeGitHub github = new FakeGitHub()) {
                github.answer("GET /repos/octo/hello/issues/1", "{\"number\":1,\"title\":\"README is stale\",\"body\":\"Update it\",\"state\":\"open\","
                        + "\"user\":{\"login\":\"ann\"},\"labels\":[],\"assignees\":[]}");
                github.answer("GET /repos/octo/hello/contents/README.md", "{\"type\":\"file\",\"encoding\":\"base64\",\"path\":\"README.md\",\"sha\":\"r1\","
                        + "\"size\":8,\"content\":\"" + Base64.getEncoder().encodeToString("# hello\n".getBytes()) + "\"}");
                assertThat(run("generate", config.toString(), "--no-progress", "--github-api-url", github.url(), "--github-token", "t0ken",
                        "--github-allowed-repos", "octo/hello", "--github-record", recordings.toString())).as(cli.err()).isZero();
                assertThat(github.requests).isNotEmpty().allMatch(r -> "Bearer t0ken".equals(r.authorization()));

                List<String> records = Files.readAllLines(dir.resolve("out.jsonl"));
                assertThat(records).hasSize(3).allMatch(r -> r.contains("README is stale") && r.contains("Local copy."));
                try (Stream<Path> files = Files.list(recordings)) {
                    assertThat(files.map(f -> f.getFileName().toString())).hasSize(2).allMatch(name -> name.startsWith("GET_repos_octo_hello_"));
                }
                goneGitHub = github.url();
            } // GitHub is gone from here on
            Path report = dir.resolve("report.jsonl");
            assertThat(run("verify", dir.resolve("out.jsonl").toString(), "--config", config.toString(), "--github-allowed-repos", "octo/hello",
                    "--github-replay", recordings.toString(), "--report", report.toString())).as(cli.err()).isZero();
            assertThat(Files.readAllLines(report)).hasSize(3).allMatch(line -> Json.parse(line).path("status").asString().equals("ok"));

            assertThat(run("verify", dir.resolve("out.jsonl").toString(), "--config", config.toString(), "--github-api-url", goneGitHub,
                    "--github-token", "t0ken", "--report", report.toString())).as("without the recordings GitHub is unreachable").isEqualTo(1);
            assertThat(Files.readAllLines(report)).allMatch(line -> Json.parse(line).path("status").asString().equals("mismatch"));
        }
    }

    @Test
    void recordAndReplayAreExclusiveAndApplyOnlyToToolsRunHere() throws Exception {
        try (FakeLlm llm = FakeLlm.start()) {
            Path config = config(llm, "");
            assertThat(run("verify", dir.resolve("none.jsonl").toString(), "--github-record", dir.resolve("a").toString(),
                    "--github-replay", dir.toString())).isEqualTo(2);
            assertThat(run("serve", "--port", "0", "--github-record", dir.resolve("a").toString(), "--github-replay", dir.toString())).isEqualTo(2);
            assertThat(cli.err()).contains("--github-record and --github-replay are exclusive");
            assertThat(run("generate", config.toString(), "--github-replay", dir.resolve("missing").toString())).isEqualTo(2);
            assertThat(cli.err()).contains("--github-replay: " + dir.resolve("missing") + " is not a folder of recordings");

            Path remote = config(llm, "spin_endpoint: http://127.0.0.1:9");
            assertThat(run("generate", remote.toString(), "--github-replay", dir.toString())).isEqualTo(2);
            assertThat(cli.err()).contains("with spin_endpoint the server runs them");
        }
    }
}
