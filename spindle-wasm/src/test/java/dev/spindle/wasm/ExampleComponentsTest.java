package dev.spindle.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples of examples/components, as built by its build.sh (which .ci/run runs), wired by its spindle.toml. */
@Timeout(60)
class ExampleComponentsTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "components");

    @Test
    void theExampleManifestServesACComponentWithFilesAndAWatComponentWithOutboundHttp() throws Exception {
        boolean built = Files.exists(EXAMPLES.resolve("build/textstats.wasm")) && Files.exists(EXAMPLES.resolve("build/status.wasm"));
        if (!built && System.getenv("SPINDLE_REQUIRE_WASM_TOOLS") != null) {
            throw new IllegalStateException("examples/components/build.sh has not run");
        }
        assumeTrue(built, "examples not built: run examples/components/build.sh");
        HttpServer health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        health.createContext("/health", exchange -> {
            byte[] body = "{\"ok\":true}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        health.start();
        try {
            var components = Manifest.load(EXAMPLES.resolve("spindle.toml"),
                    Map.of("STATUS_URL", "http://127.0.0.1:" + health.getAddress().getPort() + "/health"));
            ToolRuntime.Builder builder = ToolRuntime.builder();
            components.forEach(builder::withComponent);
            try (ToolRuntime runtime = builder.build()) {
                runtime.openSession(new SessionSpec("s", Map.of("notes.txt", "one two\nthree\n",
                        "data.json", "{\"a\":[1,2,{\"b\":\"x, y\"}],\"e\":{}}"), null));
                ToolResult count = runtime.execute(new ToolCall("s", "textstats", "word_count", Json.object().put("path", "notes.txt")));
                assertThat(count.result()).isEqualTo("{\"lines\":2,\"words\":3,\"bytes\":14}");
                ToolResult format = runtime.execute(new ToolCall("s", "textstats", "json_format", Json.object().put("path", "data.json")));
                assertThat(format.result()).isEqualTo("Formatted data.json");
                assertThat(runtime.exportFiles("s").get("data.json")).isEqualTo("""
                        {
                          "a": [
                            1,
                            2,
                            {
                              "b": "x, y"
                            }
                          ],
                          "e": {}
                        }
                        """);
                ToolResult missing = runtime.execute(new ToolCall("s", "textstats", "json_format", Json.object().put("path", "nope.json")));
                assertThat(missing.errorType()).isEqualTo(ErrorType.FileNotFound);
                ToolResult elsewhere = runtime.execute(new ToolCall("t", "textstats", "word_count", Json.object().put("path", "notes.txt")));
                assertThat(elsewhere.errorType()).isEqualTo(ErrorType.FileNotFound);
                ToolResult status = runtime.execute(new ToolCall("s", "status", "check", Json.object()));
                assertThat(status.value().path("status").asInt()).isEqualTo(200);
                assertThat(status.value().path("body").asString()).isEqualTo("{\"ok\":true}");
            }
        } finally {
            health.stop(0);
        }
    }
}
