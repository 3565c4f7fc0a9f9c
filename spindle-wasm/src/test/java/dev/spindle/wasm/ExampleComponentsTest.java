package dev.spindle.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.testing.LoopbackHttp;
import dev.spindle.testing.TestModules;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The examples of examples/components, committed beside their sources, wired by its spindle.toml. */
@Timeout(60)
class ExampleComponentsTest {
    @Test
    void theExampleManifestServesACComponentWithFilesAndAWatComponentWithOutboundHttp() throws Exception {
        Path examples = TestModules.examples();
        try (LoopbackHttp health = LoopbackHttp.serving("/health", "{\"ok\":true}")) {
            var components = Manifest.load(examples.resolve("spindle.toml"), Map.of("STATUS_URL", health.url));
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
        }
    }
}
