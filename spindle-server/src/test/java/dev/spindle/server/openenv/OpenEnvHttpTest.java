package dev.spindle.server.openenv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** OpenEnv's HTTP side: {@code GET /schema}, {@code GET /metadata}, {@code openenv/*} and session calls on {@code POST /mcp}. */
@Timeout(120)
class OpenEnvHttpTest {
    @AutoClose
    final EnvServer env = new EnvServer(e -> e.withMaxEnvs(2), c -> c);

    @Test
    void schemaDescribesTheActionUnionTheObservationAndTheState() {
        JsonNode schema = env.send("GET", "/schema", null).json();
        assertThat(schema.path("action").path("oneOf").get(0).path("properties").path("type").path("const").asString()).isEqualTo("list_tools");
        assertThat(schema.path("action").path("oneOf").get(1).path("required").toString()).contains("tool_name");
        assertThat(schema.path("observation").path("properties").path("error").path("properties").path("error_type").path("enum").toString())
                .contains("tool_not_found", "timeout");
        assertThat(schema.path("state").path("required").toString()).contains("episode_id", "step_count");
    }

    @Test
    void metadataNamesTheEnvironment() {
        JsonNode metadata = env.send("GET", "/metadata", null).json();
        assertThat(metadata.path("name").asString()).isEqualTo("spindle");
        assertThat(metadata.path("description").asString()).isNotBlank();
        assertThat(metadata.path("version").asString()).isNotBlank();
    }

    @Test
    void aPlainGetOnWsIsToldToUpgrade() {
        EnvServer.Response plain = env.send("GET", "/ws", null);
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.json().path("error").asString()).contains("WebSocket");
    }

    @Test
    void mcpSessionsOpenCallListAndCloseWithoutAnMcpHandshake() {
        JsonNode created = env.rpc("openenv/session/create", "{}");
        String session = created.path("result").path("session_id").asString();
        assertThat(env.sendText("GET", "/metrics")).contains("spindle_openenv_episodes 1.0");
        assertThat(session).startsWith("env-");
        JsonNode call = env.rpc("tools/call", "{\"session_id\":\"" + session + "\",\"name\":\"write_file\",\"arguments\":{\"file_path\":\"a\",\"content\":\"xyz\"}}");
        assertThat(call.path("result").path("isError").asBoolean()).isFalse();
        assertThat(env.rpc("tools/call", "{\"session_id\":\"" + session + "\",\"name\":\"read_file\",\"arguments\":{\"file_path\":\"a\"}}")
                .path("result").path("data").asString()).isEqualTo("xyz");
        JsonNode failed = env.rpc("tools/call", "{\"session_id\":\"" + session + "\",\"name\":\"read_file\",\"arguments\":{\"file_path\":\"none\"}}");
        assertThat(failed.has("result")).isFalse();
        assertThat(failed.path("error").path("code").asInt()).isEqualTo(-32603);
        assertThat(failed.path("error").path("message").asString()).startsWith("FileNotFound: ");
        assertThat(env.rpc("tools/list", "{\"session_id\":\"" + session + "\"}").path("result").path("tools").get(0).has("inputSchema")).isTrue();

        JsonNode closed = env.rpc("openenv/session/close", "{\"session_id\":\"" + session + "\"}");
        assertThat(closed.path("result").path("session_id").asString()).isEqualTo(session);
        assertThat(closed.path("result").path("closed").asBoolean()).isTrue();
        assertThat(env.sendText("GET", "/metrics")).contains("spindle_openenv_episodes 0.0");
        assertThat(env.rpc("openenv/session/close", "{\"session_id\":\"" + session + "\"}").path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(env.rpc("tools/call", "{\"session_id\":\"" + session + "\",\"name\":\"read_file\"}").path("error").path("message").asString())
                .startsWith("Unknown session_id");
        assertThat(env.rpc("openenv/session/close", "{}").path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(env.rpc("openenv/nothing", "{}").path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(env.server.openEnvEpisodes()).isZero();
    }

    @Test
    void aTaskSessionOnMcpSubmitsAndPastCapacityCreateAnswersServerError() {
        String session = env.rpc("openenv/session/create", "{\"task\":\"write-hello\",\"seed\":5}").path("result").path("session_id").asString();
        env.rpc("tools/call", "{\"session_id\":\"" + session + "\",\"name\":\"write_file\",\"arguments\":{\"file_path\":\"hello.txt\",\"content\":\"hello\"}}");
        JsonNode submitted = env.rpc("tools/call", "{\"session_id\":\"" + session + "\",\"name\":\"submit\",\"arguments\":{}}");
        assertThat(submitted.path("result").path("data").path("reward").asDouble()).isEqualTo(1.0);
        assertThat(env.rpc("openenv/session/create", "{\"task\":\"no-such\"}").path("error").path("code").asInt()).isEqualTo(-32602);
        int open = env.server.openEnvEpisodes();
        JsonNode nul = env.rpc("openenv/session/create", "{\"episode_id\":\"ep\\u0000\"}");
        assertThat(nul.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(nul.path("error").path("message").asString()).contains("episode_id contains a control character");
        assertThat(env.server.openEnvEpisodes()).as("a refused create holds no slot").isEqualTo(open);

        env.rpc("openenv/session/create", "{}");
        JsonNode full = env.rpc("openenv/session/create", "{}");
        assertThat(full.path("error").path("code").asInt()).isEqualTo(-32000);
        assertThat(full.path("error").path("data").path("active_sessions").asInt()).isEqualTo(2);
        assertThat(full.path("error").path("data").path("max_sessions").asInt()).isEqualTo(2);
    }

    @Test
    void theMcpProtocolItselfIsUnchanged() {
        // without session_id, tools/call is MCP's: it needs the MCP session header
        assertThat(env.send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"read_file\"}}").status()).isEqualTo(400);
        JsonNode init = env.send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}").json();
        assertThat(init.path("result").path("serverInfo").path("name").asString()).isEqualTo("spindle");
    }
}
