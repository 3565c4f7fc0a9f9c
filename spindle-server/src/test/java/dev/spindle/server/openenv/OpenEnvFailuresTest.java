package dev.spindle.server.openenv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.server.CrashingComponent;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** A bug inside an episode's call (a tool throwing an {@link Error}) is answered on the socket and on POST /mcp, logged, and the episode goes on. */
@Timeout(60)
class OpenEnvFailuresTest {
    private static final List<String> CRASHES = List.of("oom_compute", "overflow_outside", "oom_session_data");

    @Test
    void anErrorInAToolAnswersAnErrorFrameAndTheSocketReadsOn() {
        try (CrashingComponent.LoggedFailures logged = new CrashingComponent.LoggedFailures();
                EnvServer env = new EnvServer(r -> r.withComponent(new CrashingComponent()), e -> e, c -> c);
                EnvSocket socket = env.socket()) {
            assertThat(socket.ask("{\"type\":\"reset\",\"data\":{}}").path("type").asString()).isEqualTo("observation");
            for (String tool : CRASHES) {
                JsonNode answer = socket.ask("{\"type\":\"step\",\"data\":{\"type\":\"call_tool\",\"tool_name\":\"" + tool + "\",\"arguments\":{}}}");
                assertThat(answer.path("type").asString()).as(tool + ": " + answer).isEqualTo("error");
                assertThat(answer.path("data").path("code").asString()).isEqualTo("EXECUTION_ERROR");
                assertThat(answer.path("data").path("message").asString()).isEqualTo("Internal error; the message was not completed");
            }
            JsonNode mcp = socket.ask("{\"type\":\"mcp\",\"data\":{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"oom_outside\",\"arguments\":{}}}}");
            assertThat(mcp.path("data").path("error").path("code").asInt()).as(mcp.toString()).isEqualTo(-32603);
            assertThat(socket.call("fine", "{}").path("observation").path("result").toString()).as("the episode goes on").contains("fine");
            assertThat(logged.thrown()).hasSize(CRASHES.size() + 1).containsOnly("OutOfMemoryError", "StackOverflowError");
        }
    }

    @Test
    void anErrorInAToolOnPostMcpAnswersAnInternalJsonRpcError() {
        try (CrashingComponent.LoggedFailures logged = new CrashingComponent.LoggedFailures();
                EnvServer env = new EnvServer(r -> r.withComponent(new CrashingComponent()), e -> e, c -> c)) {
            String session = env.rpc("openenv/session/create", "{}").path("result").path("session_id").asString();
            for (String tool : CRASHES) {
                JsonNode answer = env.rpc("tools/call", "{\"session_id\":\"" + session + "\",\"name\":\"" + tool + "\",\"arguments\":{}}");
                assertThat(answer.path("error").path("code").asInt()).as(answer.toString()).isEqualTo(-32603);
                assertThat(answer.path("error").path("message").asString()).isEqualTo("Internal error; the request was not completed");
            }
            JsonNode fine = env.rpc("tools/call", "{\"session_id\":\"" + session + "\",\"name\":\"fine\",\"arguments\":{}}");
            assertThat(fine.has("result")).as(fine.toString()).isTrue();
            assertThat(logged.thrown()).hasSize(CRASHES.size());
        }
    }
}
