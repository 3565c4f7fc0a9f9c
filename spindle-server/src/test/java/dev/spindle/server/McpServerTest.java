package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /mcp} driven by the official MCP Java SDK client over Streamable HTTP. */
@Timeout(60)
class McpServerTest {
    @TempDir
    Path dir;

    TestServer s;

    @BeforeEach
    void start() {
        s = TestServer.start("memory", dir);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    McpSyncClient client() {
        var transport = HttpClientStreamableHttpTransport.builder(s.base).endpoint("/mcp").build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
        client.initialize();
        return client;
    }

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }

    static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest(tool, args));
    }

    @Test
    void listsEveryComponentsToolsWithTheirSchemas() {
        try (McpSyncClient client = client()) {
            List<McpSchema.Tool> tools = client.listTools().tools();
            assertThat(tools).extracting(McpSchema.Tool::name).contains("read_file", "write_file", "edit_file", "search_files").hasSize(13);
            McpSchema.Tool read = tools.stream().filter(t -> t.name().equals("read_file")).findFirst().orElseThrow();
            assertThat(read.inputSchema().get("required")).isEqualTo(List.of("file_path"));
            assertThat(read.annotations().readOnlyHint()).isTrue();
        }
    }

    @Test
    void oneMcpSessionIsOneIsolatedToolSession() throws InterruptedException {
        try (McpSyncClient first = client(); McpSyncClient second = client()) {
            var write = call(first, "write_file", Map.of("file_path", "notes.md", "content", "# mine"));
            assertThat(write.isError()).isFalse();
            assertThat(text(write)).isEqualTo("Successfully wrote 6 bytes to notes.md");
            assertThat(text(call(first, "read_file", Map.of("file_path", "notes.md")))).isEqualTo("# mine");
            var other = call(second, "read_file", Map.of("file_path", "notes.md"));
            assertThat(other.isError()).isTrue();
            assertThat(text(other)).isEqualTo("FileNotFound: File not found: notes.md");
        }
        for (int i = 0; i < 50 && s.runtime.sessionCount() > 0; i++) {
            Thread.sleep(100); // the SDK client ends its session with an asynchronous DELETE
        }
        assertThat(s.runtime.sessionCount()).as("both MCP sessions closed their tool sessions").isZero();
    }

    @Test
    void toolErrorsAreResultsWithIsErrorAndTheType() {
        try (McpSyncClient client = client()) {
            var denied = call(client, "read_file", Map.of("file_path", "/etc/passwd"));
            assertThat(denied.isError()).isTrue();
            assertThat(text(denied)).startsWith("PermissionDenied: Access denied");
            var invalid = call(client, "write_file", Map.of("file_path", "x"));
            assertThat(text(invalid)).isEqualTo("InvalidArguments: Missing required argument: content");
        }
    }

    @Test
    void mockToolsAppearAndClashingNamesArePrefixed() {
        s.post("/mock/load-schema", """
                [{"name": "get_weather", "inputSchema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
                  "mockResponse": {"city": "{{city}}", "temp_c": 21}},
                 {"name": "read_file", "description": "a mock that clashes with the VFS", "mockResponse": "mocked"}]""");
        try (McpSyncClient client = client()) {
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("get_weather", "read_file", "mock__read_file");
            assertThat(text(call(client, "get_weather", Map.of("city", "Oslo")))).isEqualTo("{\"city\":\"Oslo\",\"temp_c\":21}");
            assertThat(text(call(client, "mock__read_file", Map.of()))).isEqualTo("mocked");
            s.post("/mock/clear", "");
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).doesNotContain("get_weather", "mock__read_file");
        }
    }

    @Test
    void requestsWithoutOrWithAnEndedSessionAreRefused() {
        String list = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";
        var noSession = s.send("POST", "/mcp", list, "content-type", "application/json", "accept", "application/json, text/event-stream");
        assertThat(noSession.status()).isEqualTo(400);
        var ended = s.send("POST", "/mcp", list, "content-type", "application/json", "mcp-session-id", "mcp-gone");
        assertThat(ended.status()).isEqualTo(404);
        assertThat(s.get("/mcp").status()).isEqualTo(405);
        var garbage = s.send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
                "content-type", "application/json");
        assertThat(garbage.status()).isEqualTo(200);
        String session = garbage.header("mcp-session-id");
        assertThat(session).startsWith("mcp-");
        var notJson = s.send("POST", "/mcp", "{nope", "mcp-session-id", session);
        assertThat(notJson.status()).isEqualTo(200);
        assertThat(notJson.json().path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(s.send("DELETE", "/mcp", null, "mcp-session-id", session).status()).isEqualTo(204);
        assertThat(s.get("/sessions/" + session).status()).isEqualTo(404);
    }
}
