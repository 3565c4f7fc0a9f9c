package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.code.CodeComponent;
import dev.spindle.core.Json;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.server.Offerings;
import dev.spindle.server.ServerConfig;
import dev.spindle.github.GitHubConfig;
import dev.spindle.server.SpindleServer;
import dev.spindle.testing.Allocation;
import dev.spindle.testing.Prerequisite;
import dev.spindle.testing.SymlinkCorpus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 20's payload over HTTP on a full server: run_python that hard-links a 4 MiB file 2,000 times, sent
 * to {@code /code/execute} and replayed by the console's verify button from a dataset. Each answers a
 * typed {@code QuotaExceeded} without reading the links (where the write-back filled the heap and the
 * server stopped answering), and the server keeps serving.
 */
@Timeout(180)
class CodeLinkFloodTest {
    @TempDir
    Path dir;

    /** Both backends: the WebAssembly write-back and the native workspace's commit each read metadata first. */
    @ParameterizedTest
    @EnumSource(CodeComponent.Backend.class)
    void theLinkFloodIsRefusedOnExecuteAndOnVerifyAndTheServerKeepsServing(CodeComponent.Backend backend) throws Exception {
        SandboxOptions.Natives natives = SandboxOptions.defaults();
        if (backend == CodeComponent.Backend.NATIVE) {
            boolean present = natives.sandboxes().sandbox().isPresent();
            if (!present) {
                natives.sandboxes().close();
            }
            Prerequisite.require(present, "SPINDLE_REQUIRE_SANDBOX", "no sandbox here: " + natives.sandboxes().unavailable());
        }
        String call = Json.write(Json.object().put("code", SymlinkCorpus.PYTHON_LINK_FLOOD).put("timeout_ms", 30_000));
        JsonNode record = Json.object().set("messages", Json.array()
                .add(Json.object().put("role", "user").put("content", "link it"))
                .add(Json.object().put("role", "assistant").put("content", "").set("tool_calls", Json.array().add(Json.object().put("id", "c1")
                        .put("type", "function").set("function", Json.object().put("name", "run_python").put("arguments", call)))))
                .add(Json.object().put("role", "tool").put("tool_call_id", "c1").put("content", "{\"stdout\":\"\",\"stderr\":\"\",\"exit_code\":0}")));
        Files.writeString(dir.resolve("flood.jsonl"), Json.write(record) + "\n");
        try (ToolRuntime runtime = Spindle.runtime(new MemoryStore(), null, mock -> mock, code -> code.python(backend),
                        GitHubConfig.fromEnv(System.getenv()), natives).build();
                SpindleServer server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withDatasets(dir),
                        Offerings.NONE.withVerifier(ServeCommand.consoleVerifier(runtime, null)));
                HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.port();
            long allocated = Allocation.ofAllThreads();
            JsonNode executed = Json.parse(post(http, base + "/code/execute", Json.write(Json.object().put("session_id", "flood")
                    .put("tool", "run_python").set("args", Json.parse(call)))).body());
            assertThat(executed.path("error_type").asString()).as(executed.toString()).isEqualTo("QuotaExceeded");
            assertThat(executed.path("result").asString()).contains("67108864 bytes");

            HttpResponse<String> verified = post(http, base + "/datasets/flood.jsonl/records/1/verify", "{}");
            assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
            JsonNode replayed = Json.parse(verified.body()).path("verify").path("calls").get(0);
            assertThat(replayed.path("error_type").asString()).as(verified.body()).isEqualTo("QuotaExceeded");
            assertThat(Allocation.ofAllThreads() - allocated).as("bytes allocated by both runs: the 2,001 names of 4 MiB were not read").isLessThan(2L << 30);

            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            JsonNode next = Json.parse(post(http, base + "/code/execute", Json.write(Json.object().put("session_id", "flood")
                    .put("tool", "run_python").set("args", Json.object().put("code", "import os\nprint(os.listdir('.'))")))).body());
            assertThat(next.path("success").asBoolean()).as(next.toString()).isTrue();
            assertThat(Json.parse(next.path("result").asString()).path("stdout").asString()).as("nothing of the refused run was kept").isEqualTo("[]\n");
        }
    }

    private static HttpResponse<String> post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
