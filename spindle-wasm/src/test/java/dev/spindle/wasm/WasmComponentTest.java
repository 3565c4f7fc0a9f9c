package dev.spindle.wasm;

import dev.spindle.core.Capability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolResult;
import dev.spindle.core.Workload;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.testing.LoopbackHttp;
import dev.spindle.testing.TestModules;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A WebAssembly component in a runtime: described at registration, called with validated arguments. */
@Timeout(60)
class WasmComponentTest {
    @TempDir
    Path dir;

    WasmComponent component(String module, WasmComponent.Limits limits) throws Exception {
        return new WasmComponent("greeter", WasmProgram.load(TestModules.module(module)), limits, Set.of());
    }

    @Test
    void describesItsToolsAndAnswersCalls() throws Exception {
        WasmComponent greeter = component("hello", WasmComponent.Limits.DEFAULTS);
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(greeter).build()) {
            assertThat(greeter.tool("hello").orElseThrow().workload()).as("on the compute pool").isEqualTo(Workload.COMPUTE);
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
        WasmComponent copier = new WasmComponent("copier", WasmProgram.load(TestModules.module("copy")),
                WasmComponent.Limits.DEFAULTS, Set.of(Capability.SESSION_FILES));
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
    void aCallThatFailsLeavesNoneOfItsEditsInTheSession() throws Exception {
        WasmComponent vandal = new WasmComponent("vandal", WasmProgram.load(TestModules.module("vandal")),
                WasmComponent.Limits.DEFAULTS, Set.of(Capability.SESSION_FILES));
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(vandal).build()) {
            runtime.openSession(new SessionSpec("v", Map.of("in.txt", "original"), null));
            ToolResult result = runtime.execute(new ToolCall("v", "vandal", "vandalize", Json.object()));
            assertThat(result.errorType()).isEqualTo(ErrorType.IOError);
            assertThat(result.result()).isEqualTo("gave up");
            assertThat(runtime.exportFiles("v")).containsExactly(Map.entry("in.txt", "original"));
        }
    }

    @Test
    void whatAModuleWritesObeysTheQuotas() throws Exception {
        WasmComponent copier = new WasmComponent("copier", WasmProgram.load(TestModules.module("copy")),
                WasmComponent.Limits.DEFAULTS, Set.of(Capability.SESSION_FILES));
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(copier).withQuotas(new Quotas(100, 10, 20)).build()) {
            runtime.openSession(new SessionSpec("q", Map.of("in.txt", "twelve bytes"), null));
            ToolResult result = runtime.execute(new ToolCall("q", "copier", "copy", Json.object()));
            assertThat(result.errorType()).isEqualTo(ErrorType.QuotaExceeded);
            assertThat(runtime.exportFiles("q")).containsOnlyKeys("in.txt");
        }
    }

    @Test
    void outboundHttpReachesGrantedHostsOnlyAndNothingElse() throws Exception {
        try (LoopbackHttp granted = LoopbackHttp.serving("/ping", "pong")) {
            String url = granted.url;
            Path module = TestModules.examples().resolve("status/status.wasm");
            WasmComponent allowed = net(module, url, "http://127.0.0.1:*");
            try (ToolRuntime runtime = ToolRuntime.builder().withComponent(allowed).build()) {
                ToolResult result = runtime.execute(new ToolCall("s", "net", "check", Json.object()));
                assertThat(result.success()).as(result.result()).isTrue();
                assertThat(result.value().path("status").asInt()).isEqualTo(200);
                assertThat(result.value().path("body").asString()).isEqualTo("pong");
            }
            WasmComponent refused = net(module, url, "https://api.example.com", "http://127.0.0.2:*");
            try (ToolRuntime runtime = ToolRuntime.builder().withComponent(refused).build()) {
                ToolResult result = runtime.execute(new ToolCall("s", "net", "check", Json.object()));
                assertThat(result.errorType()).isEqualTo(ErrorType.NotAllowed);
                assertThat(result.result()).contains("http://127.0.0.1:" + granted.port()).contains("not allowed");
            }
        }
    }

    /** The status example, checking {@code target} with outbound HTTP granted to {@code allowed}. */
    private static WasmComponent net(Path module, String target, String... allowed) {
        return new WasmComponent("net", WasmProgram.load(module), WasmComponent.Limits.DEFAULTS, Set.of(
                Capability.variables(Map.of("target", target)), Capability.outbound(AllowedHosts.of(List.of(allowed), "grant it"))));
    }

    /** Refused before any connection: nothing listens at these addresses, and no packet is sent to them. */
    @Test
    void privateNetworksAreRefusedUnlessAnEntryNamesThem() throws Exception {
        Path module = TestModules.examples().resolve("status/status.wasm");
        for (String target : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1:8080/", "http://192.168.1.1/",
                "http://[::1]:9/")) {
            try (ToolRuntime runtime = ToolRuntime.builder().withComponent(net(module, target, "*://*:*", "http://127.0.0.1:*")).build()) {
                ToolResult result = runtime.execute(new ToolCall("s", "net", "check", Json.object()));
                assertThat(result.errorType()).as(target).isEqualTo(ErrorType.NotAllowed);
                assertThat(result.result()).as(target).contains("is not allowed").contains("address, which '*' does not grant");
            }
        }
        try (LoopbackHttp granted = LoopbackHttp.serving("/ping", "pong");
                ToolRuntime runtime = ToolRuntime.builder().withComponent(net(module, granted.url, "*://*:*", "http://127.0.0.1:*")).build()) {
            ToolResult result = runtime.execute(new ToolCall("s", "net", "check", Json.object()));
            assertThat(result.value().path("body").asString()).as("named loopback stays reachable").isEqualTo("pong");
        }
    }

    @Test
    void garbageOnStdoutIsComponentFailedWithAnExcerptAndTheNextCallStillRuns() throws Exception {
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(component("garbage", WasmComponent.Limits.DEFAULTS)).build()) {
            for (int i = 0; i < 2; i++) {
                ToolResult result = runtime.execute(new ToolCall("s", "greeter", "hello", Json.object().put("name", "Ada")));
                assertThat(result.errorType()).isEqualTo(ErrorType.ComponentFailed);
                assertThat(result.result()).isEqualTo("Component greeter answered something that is not a JSON object: this is not JSON at all, just text");
            }
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
