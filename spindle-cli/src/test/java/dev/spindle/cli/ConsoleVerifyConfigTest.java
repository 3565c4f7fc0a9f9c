package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.server.Offerings;
import dev.spindle.server.ServerConfig;
import dev.spindle.server.SpindleServer;
import dev.spindle.testing.FakeLlm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The console's verify button on a dataset made on seed files: with {@code serve --dataset-config} it
 * replays as {@code spindle verify --config} does and the record matches; without it the seed is missing.
 */
class ConsoleVerifyConfigTest {
    @TempDir
    Path dir;

    private final InProcessCli cli = new InProcessCli();

    @Test
    void theVerifyButtonSeedsAndRoutesAsTheDatasetsConfigSays() throws Exception {
        Path config;
        try (FakeLlm llm = FakeLlm.start()) {
            config = Files.writeString(dir.resolve("gen.yaml"), """
                    llm: {provider: openai, model: fake, base_url: "%s"}
                    topics: {list: ["debug settings in config.json"]}
                    generation:
                      conversation: {type: cot, reasoning_style: agent}
                      tools:
                        components:
                          builtin: [read_file, write_file, list_files]
                        max_per_query: 5
                        scenario_seed: {files: {config.json: "{\\"debug\\": true}"}}
                    output: {num_samples: 1, batch_size: 1, save_as: "%s"}
                    """.formatted(llm.baseUrl, dir.resolve("run.jsonl")));
            assertThat(cli.run("generate", config.toString(), "--no-progress")).as(cli.err()).isZero();
        }
        assertThat(Files.readString(dir.resolve("run.jsonl"))).contains("\\\"debug\\\": false");

        JsonNode seeded = verifyOnTheConsole(config);
        assertThat(seeded.path("status").asString()).as(seeded.toString()).isEqualTo("ok");
        assertThat(seeded.path("calls").findValuesAsString("tool")).contains("read_file", "write_file");
        JsonNode bare = verifyOnTheConsole(null);
        assertThat(bare.path("status").asString()).as("config.json is not there without the seed").isEqualTo("mismatch");
    }

    private JsonNode verifyOnTheConsole(Path datasetConfig) throws Exception {
        try (ToolRuntime runtime = Spindle.runtime(new MemoryStore()).build();
                SpindleServer server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1).withDatasets(dir),
                        Offerings.NONE.withVerifier(ServeCommand.consoleVerifier(runtime, datasetConfig)));
                HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/datasets/run.jsonl/records/1/verify"))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            return Json.parse(answer.body()).path("verify");
        }
    }
}
