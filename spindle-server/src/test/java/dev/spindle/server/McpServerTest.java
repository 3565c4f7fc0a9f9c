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
        return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(args).build());
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
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(s.send("DELETE", "/mcp", null, "mcp-session-id", session).status()).isEqualTo(204);
        assertThat(s.get("/sessions/" + session).status()).isEqualTo(404);
    }

    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";

    TestServer.Response rpc(TestServer server, String session, String body) {
        return session == null ? server.send("POST", "/mcp", body, "content-type", "application/json")
                : server.send("POST", "/mcp", body, "content-type", "application/json", "mcp-session-id", session);
    }

    String initialize(TestServer server) {
        var init = rpc(server, null, INITIALIZE);
        assertThat(init.status()).isEqualTo(200);
        return init.header("mcp-session-id");
    }

    @Test
    void toolSessionIdsAreNeitherAcceptedNorDeletedAsMcpSessions() {
        assertThat(s.post("/sessions", "{\"session_id\":\"vfs-1\",\"files\":{\"a.txt\":\"kept\"}}").status()).isEqualTo(201);
        var asMcp = rpc(s, "vfs-1", LIST);
        assertThat(asMcp.status()).isEqualTo(404);
        assertThat(asMcp.json().path("jsonrpc").asString()).isEqualTo("2.0");
        assertThat(asMcp.json().path("id").asInt()).isEqualTo(2);
        assertThat(asMcp.json().path("error").path("code").asInt()).isEqualTo(-32001);
        var delete = s.send("DELETE", "/mcp", null, "mcp-session-id", "vfs-1");
        assertThat(delete.status()).isEqualTo(404);
        assertThat(delete.json().path("error").path("code").asInt()).isEqualTo(-32001);
        assertThat(s.get("/sessions/vfs-1/files").json().path("files").path("a.txt").asString()).isEqualTo("kept");

        String session = initialize(s);
        assertThat(s.runtime.sessionCount()).isEqualTo(2);
        assertThat(s.get("/sessions/" + session).status()).as("an MCP session id is not a tool-session id").isEqualTo(404);
        assertThat(s.send("DELETE", "/mcp", null, "mcp-session-id", session).status()).isEqualTo(204);
        assertThat(s.runtime.sessionCount()).as("only the MCP session's own tool session closed").isEqualTo(1);
        assertThat(rpc(s, session, LIST).status()).isEqualTo(404);
        assertThat(s.get("/sessions/vfs-1").status()).isEqualTo(200);
    }

    @Test
    void malformedMessagesAnswerPlainJsonRpcErrors() {
        String session = initialize(s);
        record Case(String body, int status, int code, Integer id) {}
        List<Case> cases = List.of(
                new Case("{nope", 400, -32700, null),
                new Case("", 400, -32700, null),
                new Case("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", 400, -32600, null),
                new Case("\"ping\"", 400, -32600, null),
                new Case("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"ping\"}", 400, -32600, 7),
                new Case("{\"id\":7,\"method\":\"ping\"}", 400, -32600, 7),
                new Case("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", 400, -32600, null),
                new Case("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":3}", 400, -32600, 7),
                new Case("{\"jsonrpc\":\"2.0\",\"id\":7}", 400, -32600, 7),
                new Case("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":\"x\"}", 400, -32600, 7),
                new Case("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\"}", 200, -32602, 7),
                new Case("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":[]}", 200, -32602, 7),
                new Case("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"read_file\",\"arguments\":[1]}}", 200, -32602, 7),
                new Case("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"read_file\",\"arguments\":\"s\"}}", 200, -32602, 7),
                new Case("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":5}}", 200, -32602, 7),
                new Case("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{\"cursor\":{}}}", 200, -32602, 7),
                new Case("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"nope\"}", 200, -32601, 7));
        for (Case c : cases) {
            var answer = rpc(s, session, c.body());
            assertThat(answer.status()).as(c.body()).isEqualTo(c.status());
            assertThat(answer.json().path("jsonrpc").asString()).as(c.body()).isEqualTo("2.0");
            assertThat(answer.json().path("error").path("code").asInt()).as(c.body()).isEqualTo(c.code());
            if (c.id() == null) {
                assertThat(answer.json().get("id").isNull()).as(c.body()).isTrue();
            } else {
                assertThat(answer.json().path("id").asInt()).as(c.body()).isEqualTo(c.id());
            }
            assertThat(answer.json().path("error").path("message").asString()).as(c.body())
                    .doesNotContain("Exception", "jackson", "modelcontextprotocol", "dev.spindle", "`", "\n");
        }
        var read = rpc(s, session, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":\"write_file\",\"arguments\":{\"file_path\":\"a\",\"content\":\"still here\"}}}");
        assertThat(read.json().path("result").path("isError").asBoolean()).as(read.raw().body()).isFalse();
    }

    @Test
    void aRefusedInitializeOpensNoSession() {
        var refused = rpc(s, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":[]}}");
        assertThat(refused.json().path("error").path("code").asInt()).as(refused.raw().body()).isEqualTo(-32602);
        assertThat(refused.header("mcp-session-id")).isNull();
        assertThat(s.runtime.sessionCount()).isZero();
    }

    @Test
    void initializePastTheSessionLimitAnswers503UntilASessionEnds() {
        try (TestServer small = new TestServer(TestServer.store("memory", dir), b -> b, c -> c.withMcpSessions(5))) {
            List<String> sessions = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sessions.add(initialize(small));
            }
            var refused = rpc(small, null, INITIALIZE);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("retry-after")).isEqualTo("10");
            assertThat(refused.json().path("id").asInt()).isEqualTo(1);
            assertThat(refused.json().path("error").path("message").asString()).contains("limit 5");
            assertThat(small.runtime.sessionCount()).isEqualTo(5);
            assertThat(small.send("DELETE", "/mcp", null, "mcp-session-id", sessions.getFirst()).status()).isEqualTo(204);
            assertThat(rpc(small, null, INITIALIZE).status()).isEqualTo(200);
            assertThat(rpc(small, sessions.getLast(), LIST).status()).as("open sessions keep working").isEqualTo(200);
        }
    }

    @Test
    void theDefaultLimitIsAThousandSessions() {
        for (int i = 0; i < 1_000; i++) {
            initialize(s);
        }
        assertThat(rpc(s, null, INITIALIZE).status()).isEqualTo(503);
    }

    @Test
    void anIdleMcpSessionExpiresWithItsToolSessionAndUseKeepsItAlive() throws InterruptedException {
        try (TestServer quick = new TestServer(TestServer.store("memory", dir),
                b -> b.withSessionTtl(Duration.ofMillis(3_000)).withSweepInterval(Duration.ofMillis(100)), c -> c)) {
            String used = initialize(quick);
            String idle = initialize(quick);
            assertThat(rpc(quick, used, LIST).status()).isEqualTo(200);
            // 4.8 s of tools/list (a request that runs no tool), a use every 400 ms: far inside the TTL even on a loaded machine
            for (int i = 0; i < 12; i++) {
                Thread.sleep(400);
                assertThat(rpc(quick, used, LIST).status()).isEqualTo(200);
            }
            assertThat(rpc(quick, idle, LIST).status()).isEqualTo(404);
            assertThat(quick.runtime.sessionCount()).isEqualTo(1);
        }
    }
}
