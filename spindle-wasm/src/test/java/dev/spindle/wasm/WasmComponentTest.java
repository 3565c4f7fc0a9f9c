package dev.spindle.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolResult;
import dev.spindle.core.files.Quotas;
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
    void withSessionFilesAModuleReadsAndWritesOnlyItsSessionsFiles() throws Exception {
        WasmComponent copier = new WasmComponent("copier", WasmProgram.load(Wat.compile(Path.of("src/test/resources/wat/copy.wat"), dir)),
                WasmComponent.Limits.DEFAULTS, Map.of(), true);
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(copier).build()) {
            runtime.openSession(new SessionSpec("s", Map.of("in.txt", "from the session", "docs/keep.md", "kept"), null));
            ToolResult result = runtime.execute(new ToolCall("s", "copier", "copy", Json.object()));
            assertThat(result.result()).isEqualTo("copied");
            assertThat(runtime.exportFiles("s")).containsExactly(
                    Map.entry("docs/keep.md", "kept"), Map.entry("in.txt", "from the session"), Map.entry("out.txt", "from the session"));
            runtime.execute(new ToolCall("t", "copier", "copy", Json.object()));
            assertThat(runtime.exportFiles("t")).containsExactly(Map.entry("out.txt", "no input"));
            assertThat(runtime.exportFiles("s")).containsEntry("out.txt", "from the session");
        }
    }

    @Test
    void whatAModuleWritesObeysTheQuotas() throws Exception {
        WasmComponent copier = new WasmComponent("copier", WasmProgram.load(Wat.compile(Path.of("src/test/resources/wat/copy.wat"), dir)),
                WasmComponent.Limits.DEFAULTS, Map.of(), true);
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(copier).withQuotas(new Quotas(100, 10, 20)).build()) {
            runtime.openSession(new SessionSpec("q", Map.of("in.txt", "twelve bytes"), null));
            ToolResult result = runtime.execute(new ToolCall("q", "copier", "copy", Json.object()));
            assertThat(result.errorType()).isEqualTo(ErrorType.QuotaExceeded);
            assertThat(runtime.exportFiles("q")).containsOnlyKeys("in.txt");
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
