package dev.spindle.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.testing.Wat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A WebAssembly component in a runtime: described at registration, called with validated arguments. */
@Timeout(60)
class WasmComponentTest {
    @TempDir
    Path dir;

    WasmComponent component(String module, WasmComponent.Limits limits) throws Exception {
        return new WasmComponent("greeter", WasmProgram.load(Wat.compile(Path.of("src/test/resources/wat", module + ".wat"), dir)), limits, Map.of());
    }

    @Test
    void describesItsToolsAndAnswersCalls() throws Exception {
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(component("hello", WasmComponent.Limits.DEFAULTS)).build()) {
            assertThat(runtime.blocking()).as("wasm runs stay off event loops").isTrue();
            var tools = runtime.components().getFirst().tools();
            assertThat(tools).extracting(t -> t.name()).containsExactly("hello");
            assertThat(tools.getFirst().inputSchema().path("required").toString()).isEqualTo("[\"name\"]");
            ToolResult ok = runtime.execute(new ToolCall("s", "greeter", "hello", Json.object().put("name", "Ada")));
            assertThat(ok.success()).isTrue();
            assertThat(ok.result()).isEqualTo("hello from wasm");
            ToolResult invalid = runtime.execute(new ToolCall("s", "greeter", "hello", Json.object()));
            assertThat(invalid.errorType()).isEqualTo(ErrorType.InvalidArguments);
            assertThat(invalid.result()).isEqualTo("Missing required argument: name");
        }
    }

    @Test
    void aModuleThatCannotDescribeItselfFailsRegistrationClearly() throws Exception {
        WasmComponent echo = component("echo", WasmComponent.Limits.DEFAULTS);
        assertThatThrownBy(() -> ToolRuntime.builder().withComponent(echo).build())
                .hasMessageStartingWith("component greeter: describe must answer {\"tools\": [...]}");
        WasmComponent trap = component("trap", WasmComponent.Limits.DEFAULTS);
        assertThatThrownBy(() -> ToolRuntime.builder().withComponent(trap).build())
                .hasMessageStartingWith("component greeter: describe failed: trap.wasm failed");
        WasmComponent loop = component("loop", new WasmComponent.Limits(Duration.ofMillis(200), 64L << 20, 1 << 20));
        assertThatThrownBy(() -> ToolRuntime.builder().withComponent(loop).build()).hasMessageContaining("ran past its limit of 200 ms");
    }
}
