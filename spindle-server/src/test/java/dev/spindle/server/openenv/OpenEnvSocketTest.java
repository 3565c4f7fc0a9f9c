package dev.spindle.server.openenv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** OpenEnv's frames on {@code WS /ws} against a real server: bare sandboxes, tool calls, errors, the session's life. */
@Timeout(120)
class OpenEnvSocketTest {
    @AutoClose
    final EnvServer env = EnvServer.start();

    @Test
    void aResetWithoutTaskOpensABareSandboxWhoseToolsRunInItsSession() {
        try (EnvSocket ws = env.socket()) {
            JsonNode reset = ws.ask("{\"type\":\"reset\",\"data\":{\"seed\":7,\"episode_id\":\"ep-1\",\"prompt\":\"ignored\"}}");
            assertThat(reset.path("type").asString()).isEqualTo("observation");
            JsonNode started = reset.path("data");
            assertThat(started.path("done").asBoolean()).isFalse();
            assertThat(started.path("reward").isNull()).isTrue();
            assertThat(started.path("observation").path("episode_id").asString()).isEqualTo("ep-1");
            assertThat(started.path("observation").path("seed").asLong()).isEqualTo(7);
            assertThat(started.path("observation").path("task_id").isNull()).isTrue();
            String session = started.path("observation").path("session_id").asString();
            assertThat(env.runtime.hasSession(session)).isTrue();

            JsonNode tools = ws.step("{\"type\":\"list_tools\"}").path("observation").path("tools");
            List<String> names = new ArrayList<>();
            tools.forEach(t -> names.add(t.path("name").asString()));
            assertThat(names).contains("read_file", "write_file", "sleep").doesNotContain("submit");
            assertThat(tools.get(names.indexOf("write_file")).path("input_schema").path("required").toString()).contains("file_path", "content");

            JsonNode written = ws.call("write_file", "{\"file_path\":\"a.txt\",\"content\":\"hi\"}");
            assertThat(written.path("observation").path("tool_name").asString()).isEqualTo("write_file");
            assertThat(written.path("observation").path("error").isNull()).isTrue();
            assertThat(written.path("observation").path("result").path("data").asString()).isEqualTo("Successfully wrote 2 bytes to a.txt");
            assertThat(written.path("observation").path("result").path("content").get(0).path("text").asString()).isEqualTo("Successfully wrote 2 bytes to a.txt");
            assertThat(written.path("done").asBoolean()).isFalse();
            assertThat(env.runtime.exportFiles(session)).containsEntry("a.txt", "hi");

            JsonNode state = ws.ask("{\"type\":\"state\"}");
            assertThat(state.path("type").asString()).isEqualTo("state");
            assertThat(state.path("data").path("episode_id").asString()).isEqualTo("ep-1");
            assertThat(state.path("data").path("step_count").asInt()).as("the write; a listing is no step").isEqualTo(1);
            assertThat(state.path("data").path("seed").asLong()).isEqualTo(7);
            assertThat(state.path("data").path("session_id").asString()).isEqualTo(session);
        }
    }

    @Test
    void toolFailuresAreObservationsWithOpenEnvErrorTypes() {
        try (EnvSocket ws = env.socket()) {
            ws.ask("{\"type\":\"reset\"}");
            JsonNode missing = ws.call("read_file", "{\"file_path\":\"nope.txt\"}").path("observation");
            assertThat(missing.path("result").isNull()).isTrue();
            assertThat(missing.path("error").path("error_type").asString()).isEqualTo("execution_error");
            assertThat(missing.path("error").path("message").asString()).startsWith("FileNotFound: ");
            assertThat(ws.call("fly", "{}").path("observation").path("error").path("error_type").asString()).isEqualTo("tool_not_found");
            assertThat(ws.call("write_file", "{\"file_path\":\"x\"}").path("observation").path("error").path("error_type").asString()).isEqualTo("invalid_args");
            // the reserved names are never tools: nothing is called "state" or "close" even if asked
            assertThat(ws.call("state", "{}").path("observation").path("error").path("error_type").asString()).isEqualTo("tool_not_found");
        }
    }

    @Test
    void errorsThatKeepTheSocketAnswerTheirCodeAndTheSocketStillServes() {
        record Case(String frame, String code) {}
        List<Case> cases = List.of(
                new Case("{nope", "INVALID_JSON"),
                new Case("", "INVALID_JSON"),
                new Case("{\"type\":\"dance\"}", "UNKNOWN_TYPE"),
                new Case("{\"data\":{}}", "UNKNOWN_TYPE"),
                new Case("[1,2]", "VALIDATION_ERROR"),
                new Case("{\"type\":\"step\"}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"step\",\"data\":{\"type\":\"fly\"}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"step\",\"data\":{\"type\":\"call_tool\"}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"step\",\"data\":{\"type\":\"call_tool\",\"tool_name\":\"read_file\",\"arguments\":[1]}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"step\",\"data\":{\"type\":\"list_tools\",\"extra\":1}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"state\",\"data\":{}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"reset\",\"data\":{\"seed\":-1}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"reset\",\"data\":{\"seed\":1.5}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"reset\",\"data\":{\"episode_id\":\"" + "e".repeat(256) + "\"}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"reset\",\"data\":{\"episode_id\":\"ep\\u0000\"}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"reset\",\"data\":{\"episode_id\":\"a\\nb\"}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"reset\",\"data\":{\"episode_id\":\"\\u001b[31mred\"}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"reset\",\"data\":{\"episode_id\":\"\\u007f\"}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"reset\",\"data\":{\"task\":\"no-such-task\"}}", "VALIDATION_ERROR"),
                new Case("{\"type\":\"reset\",\"data\":{\"task\":\"\"}}", "VALIDATION_ERROR"));
        try (EnvSocket ws = env.socket()) {
            for (Case c : cases) {
                JsonNode answer = ws.ask(c.frame());
                assertThat(answer.path("type").asString()).as(c.frame()).isEqualTo("error");
                assertThat(answer.path("data").path("code").asString()).as(c.frame()).isEqualTo(c.code());
                assertThat(answer.path("data").path("message").asString()).as(c.frame()).isNotBlank().doesNotContain("Exception");
            }
            assertThat(ws.ask("{nope").path("data").path("message").asString()).startsWith("Invalid JSON: Unexpected character").doesNotContain("Invalid JSON: Invalid JSON");
            assertThat(ws.ask("{\"type\":\"state\"}").path("type").asString()).isEqualTo("state");
            assertThat(ws.socket.isClosed()).isFalse();
        }
    }

    @Test
    void aStepBeforeAnyResetOpensABareSandbox() {
        try (EnvSocket ws = env.socket()) {
            assertThat(ws.call("write_file", "{\"file_path\":\"a\",\"content\":\"1\"}").path("observation").path("error").isNull()).isTrue();
            JsonNode state = ws.ask("{\"type\":\"state\"}").path("data");
            assertThat(state.path("step_count").asInt()).isEqualTo(1);
            assertThat(env.runtime.exportFiles(state.path("session_id").asString())).containsEntry("a", "1");
        }
    }

    @Test
    void aNewResetRebuildsTheSandboxAndEndsTheOldSession() {
        try (EnvSocket ws = env.socket()) {
            String first = ws.ask("{\"type\":\"reset\"}").path("data").path("observation").path("session_id").asString();
            ws.call("write_file", "{\"file_path\":\"a.txt\",\"content\":\"hi\"}");
            JsonNode second = ws.ask("{\"type\":\"reset\",\"data\":{\"episode_id\":\"two\"}}").path("data").path("observation");
            assertThat(second.path("session_id").asString()).isNotEqualTo(first);
            assertThat(env.runtime.hasSession(first)).isFalse();
            assertThat(ws.call("read_file", "{\"file_path\":\"a.txt\"}").path("observation").path("error").path("message").asString()).startsWith("FileNotFound");
            assertThat(ws.ask("{\"type\":\"state\"}").path("data").path("step_count").asInt()).isEqualTo(1);
            assertThat(env.server.openEnvEpisodes()).isEqualTo(1);
        }
    }

    @Test
    void closingTheSocketOrSendingCloseDestroysTheSession() throws InterruptedException {
        for (String ending : List.of("disconnect", "close frame")) {
            EnvSocket ws = env.socket();
            String session = ws.ask("{\"type\":\"reset\"}").path("data").path("observation").path("session_id").asString();
            if (ending.equals("disconnect")) {
                ws.close();
            } else {
                ws.send("{\"type\":\"close\"}");
                assertThat(ws.closedWithin(20)).as("the server closes the socket").isTrue();
                ws.close();
            }
            long deadline = System.currentTimeMillis() + 20_000;
            while (env.runtime.hasSession(session) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(env.runtime.hasSession(session)).as(ending).isFalse();
            assertThat(env.server.openEnvEpisodes()).as(ending).isZero();
        }
    }

    @Test
    void aSessionDeletedUnderneathEndsTheEpisodeWithSessionError() {
        try (EnvSocket ws = env.socket()) {
            String session = ws.ask("{\"type\":\"reset\"}").path("data").path("observation").path("session_id").asString();
            assertThat(env.send("DELETE", "/sessions/" + session, null).status()).isEqualTo(200);
            JsonNode gone = ws.ask("{\"type\":\"step\",\"data\":{\"type\":\"list_tools\"}}");
            assertThat(gone.path("data").path("code").asString()).isEqualTo("SESSION_ERROR");
            assertThat(gone.path("data").path("message").asString()).contains(session);
            assertThat(ws.closedWithin(20)).isTrue();
            assertThat(env.runtime.hasSession(session)).isFalse();
        }
    }

    @Test
    void mcpFramesCarryJsonRpcOnTheSocketsEpisode() {
        try (EnvSocket ws = env.socket()) {
            ws.ask("{\"type\":\"reset\"}");
            JsonNode list = ws.ask("{\"type\":\"mcp\",\"data\":{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}}");
            assertThat(list.path("type").asString()).isEqualTo("mcp");
            assertThat(list.path("data").path("id").asInt()).isEqualTo(1);
            assertThat(list.path("data").path("result").path("tools").get(0).has("inputSchema")).isTrue();
            JsonNode call = ws.ask("{\"type\":\"mcp\",\"data\":{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"write_file\",\"arguments\":{\"file_path\":\"m.txt\",\"content\":\"via mcp\"}}}}");
            assertThat(call.path("data").path("result").path("isError").asBoolean()).isFalse();
            assertThat(call.path("data").path("result").path("content").get(0).path("text").asString()).isEqualTo("Successfully wrote 7 bytes to m.txt");
            assertThat(ws.call("read_file", "{\"file_path\":\"m.txt\"}").path("observation").path("result").path("data").asString()).isEqualTo("via mcp");
            JsonNode failed = ws.ask("{\"type\":\"mcp\",\"data\":{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"read_file\",\"arguments\":{\"file_path\":\"none\"}}}}");
            // as OpenEnv's server: a failed tool is a JSON-RPC error (its MCPToolClient raises only on one)
            assertThat(failed.path("data").path("error").path("code").asInt()).isEqualTo(-32603);
            assertThat(failed.path("data").path("error").path("message").asString()).startsWith("FileNotFound: ");
            assertThat(failed.path("data").path("error").path("data").path("error_type").asString()).isEqualTo("execution_error");
            assertThat(ws.ask("{\"type\":\"mcp\",\"data\":{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"fly\"}}}")
                    .path("data").path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(ws.ask("{\"type\":\"mcp\",\"data\":{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/list\"}}")
                    .path("data").path("error").path("code").asInt()).isEqualTo(-32601);
            assertThat(ws.ask("{\"type\":\"mcp\",\"data\":{\"id\":6,\"method\":\"tools/list\"}}").path("data").path("error").path("code").asInt()).isEqualTo(-32600);
            // the three calls that ran (the write and both reads); not the listing nor the unknown tool
            assertThat(ws.ask("{\"type\":\"state\"}").path("data").path("step_count").asInt()).isEqualTo(3);
        }
    }

    @Test
    void theSameSeedGivesTheSameEpisode() {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (EnvSocket ws = env.socket()) {
                StringBuilder run = new StringBuilder();
                JsonNode started = ws.ask("{\"type\":\"reset\",\"data\":{\"seed\":42,\"task\":\"write-hello\",\"episode_id\":\"same\"}}").path("data");
                ((tools.jackson.databind.node.ObjectNode) started.path("observation")).remove("session_id");
                run.append(started);
                run.append(ws.call("read_file", "{\"file_path\":\"start.txt\"}"));
                run.append(ws.call("write_file", "{\"file_path\":\"hello.txt\",\"content\":\"hello\"}"));
                run.append(ws.call("submit", "{}"));
                JsonNode state = ws.ask("{\"type\":\"state\"}").path("data");
                ((tools.jackson.databind.node.ObjectNode) state).remove("session_id");
                run.append(state);
                runs.add(run.toString());
            }
        }
        assertThat(runs.get(0)).contains("\"seed\":42", "\"data\":\"the starting file\"", "\"reward\":1.0").isEqualTo(runs.get(1));
    }
}
