package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Workload;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.store.redis.RedisStore;
import dev.spindle.testing.RedisServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A bug inside a call (here a tool throwing an {@link Error}) is answered, on every thread a call may run on
 * (the event loop, a quick call's Redis reply, a worker, the compute pool) and over HTTP and MCP alike, and
 * logged with its stack; the server keeps serving.
 */
@Timeout(120)
class FailureAnswersTest {
    @TempDir
    Path dir;

    private KeyValueStore store(String kind) {
        return kind.equals("redis") ? new RedisStore(redis.uri()) : TestServer.store(kind, dir);
    }

    private RedisServer redis;

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "redis"})
    void anErrorInAToolAnswers500InternalAndIsLoggedWithItsStack(String kind) throws Exception {
        if (kind.equals("redis")) {
            redis = RedisServer.start();
        }
        try (CrashingComponent.LoggedFailures logged = new CrashingComponent.LoggedFailures();
                TestServer s = new TestServer(store(kind), b -> b.withComponent(new CrashingComponent()), c -> c)) {
            for (Workload workload : Workload.values()) {
                for (String failure : List.of("oom_", "overflow_")) {
                    String tool = failure + workload.name().toLowerCase();
                    for (String call : List.of("{\"name\":\"" + tool + "\",\"arguments\":{}}", "{\"session_id\":\"s\",\"tool\":\"" + tool + "\",\"args\":{}}")) {
                        TestServer.Response answer = s.post("/crasher/execute", call);
                        assertThat(answer.status()).as(kind + " " + call).isEqualTo(500);
                        assertThat(answer.json().path("error_type").asString()).isEqualTo("Internal");
                        assertThat(answer.json().path("error").asString()).isEqualTo("Internal server error; the request was not completed");
                    }
                }
            }
            assertThat(logged.thrown()).as("every failure logged with its stack").hasSize(Workload.values().length * 4)
                    .containsOnly("OutOfMemoryError", "StackOverflowError");
            assertThat(s.post("/crasher/execute", "{\"session_id\":\"s\",\"tool\":\"fine\",\"args\":{}}").json().path("result").asString())
                    .as("the session is still usable").isEqualTo("fine");
            assertThat(s.get("/health").status()).isEqualTo(200);
            // closing the session must not wait for a quick call the failure left counted as running
            assertThat(s.delete("/sessions/s").status()).isEqualTo(200);

            String session = s.post("/mcp", McpServerTest.INITIALIZE).header("mcp-session-id");
            for (String tool : List.of("oom_compute", "overflow_outside", "oom_session_data")) {
                JsonNode mcp = s.send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{}}}",
                        "mcp-session-id", session).json();
                assertThat(mcp.path("id").asInt()).as(mcp.toString()).isEqualTo(7);
                assertThat(mcp.path("error").path("code").asInt()).as(mcp.toString()).isEqualTo(-32603);
                assertThat(mcp.path("error").path("message").asString()).isEqualTo("Internal error; the request was not completed");
            }
            JsonNode fine = s.send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":\"fine\",\"arguments\":{}}}",
                    "mcp-session-id", session).json();
            assertThat(fine.path("result").path("content").path(0).path("text").asString()).as(fine.toString()).isEqualTo("fine");
            assertThat(logged.thrown()).hasSize(Workload.values().length * 4 + 3);
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }
}
