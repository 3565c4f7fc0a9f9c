package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.github.GitHubConfig;
import dev.spindle.mcp.McpEndpoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** {@code --profile} on serve and mcp: which components the runtime serves, and what MCP's tools/list shows of them. */
@Timeout(60)
class ProfileOptionTest {
    private static ToolRuntime runtime(String... args) {
        ProfileOptions options = new ProfileOptions();
        new CommandLine(options).parseArgs(args);
        return Spindle.runtime(new MemoryStore(), null, m -> m, c -> c, GitHubConfig.fromEnv(Map.of()), SandboxOptions.defaults(), options.names()).build();
    }

    private static List<String> components(ToolRuntime runtime) {
        return runtime.components().stream().map(ComponentInfo::name).toList();
    }

    @Test
    void spindlesOwnToolsUnlessAProfileIsNamed() {
        try (ToolRuntime runtime = runtime()) {
            assertThat(components(runtime)).containsExactly("vfs", "mock", "code", "shell", "github");
        }
        try (ToolRuntime runtime = runtime("--profile", "claude-code")) {
            assertThat(components(runtime)).containsExactly("claude-code");
        }
        try (ToolRuntime runtime = runtime("--profile", "spindle", "--profile", "claude-code", "--profile", "spindle")) {
            assertThat(components(runtime)).containsExactly("vfs", "mock", "code", "shell", "github", "claude-code");
        }
    }

    @Test
    void anUnknownProfileIsRefusedNamingTheOnesThereAre() {
        assertThatThrownBy(() -> runtime("--profile", "cursor")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("there is no profile 'cursor'; the profiles are spindle, claude-code");
    }

    @Test
    void mcpListsTheProfilesToolsWithTheirSchemas() {
        try (ToolRuntime runtime = runtime("--profile", "claude-code")) {
            McpEndpoint endpoint = new McpEndpoint(runtime);
            String session = endpoint.openSession().orElseThrow();
            endpoint.handle(session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
            JsonNode tools = Json.parse(endpoint.handle(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").orElseThrow()).path("result").path("tools");
            assertThat(tools.valueStream().map(t -> t.path("name").asString()))
                    .containsExactly("Bash", "Glob", "Grep", "LS", "Read", "Edit", "MultiEdit", "Write", "TodoWrite");
            JsonNode read = tools.valueStream().filter(t -> t.path("name").asString().equals("Read")).findFirst().orElseThrow();
            assertThat(read.path("inputSchema").path("properties").propertyNames()).containsExactly("file_path", "offset", "limit");
            JsonNode call = Json.parse(endpoint.handle(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"Write\",\"arguments\":"
                    + "{\"file_path\":\"/workspace/a.txt\",\"content\":\"hi\"}}}").orElseThrow());
            assertThat(call.path("result").path("content").get(0).path("text").asString()).isEqualTo("File created successfully at: /workspace/a.txt");
            endpoint.closeSession(session);
        }
    }
}
