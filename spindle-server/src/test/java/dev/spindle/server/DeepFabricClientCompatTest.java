package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeepFabric's Python client ({@code deepfabric/spin/client.py}, REFERENCE.md 2.1) must work unchanged.
 * Each request here is byte-for-byte what that client sends (httpx with {@code json=}: Python's
 * {@code json.dumps} spacing, {@code Content-Type: application/json}), and each assertion is the check
 * the client applies to the answer. The tests mirror its Spin integration tests and its
 * {@code health_check}, {@code cleanup_session} and {@code seed_files} calls.
 */
@Timeout(60)
class DeepFabricClientCompatTest {
    @TempDir
    Path dir;

    TestServer spin;

    @BeforeEach
    void start() {
        spin = TestServer.start("sqlite", dir);
    }

    @AfterEach
    void stop() {
        spin.close();
    }

    /** {@code SpinClient.execute_tool(session_id, tool_name, arguments, component="vfs")}. */
    TestServer.Response executeTool(String sessionId, String tool, String argumentsPythonJson) {
        String body = "{\"session_id\": \"" + sessionId + "\", \"tool\": \"" + tool + "\", \"args\": " + argumentsPythonJson + "}";
        return spin.send("POST", "/vfs/execute", body, "content-type", "application/json", "user-agent", "python-httpx/0.28.1",
                "accept", "*/*");
    }

    /** How the client turns a 200 answer into {@code SpinExecutionResult}: success, a string result, error_type. */
    static void assertClientReadable(TestServer.Response response) {
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("success").isBoolean()).isTrue();
        assertThat(response.json().path("result").isString()).isTrue();
    }

    static String session() {
        return "test-" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    @Test
    void listFilesWithADirectoryArgumentSucceeds() {
        var result = executeTool(session(), "list_files", "{\"directory\": \"/\"}");
        assertClientReadable(result);
        assertThat(result.json().path("success").asBoolean()).isTrue();
        assertThat(result.json().has("error_type")).isFalse();
    }

    @Test
    void writeThenReadRoundTrips() {
        String id = session();
        var write = executeTool(id, "write_file", "{\"file_path\": \"/test.txt\", \"content\": \"Hello from integration test\"}");
        assertClientReadable(write);
        assertThat(write.json().path("success").asBoolean()).isTrue();
        var read = executeTool(id, "read_file", "{\"file_path\": \"/test.txt\"}");
        assertClientReadable(read);
        assertThat(read.json().path("result").asString()).contains("Hello from integration test");
    }

    @Test
    void anInvalidToolFails() {
        var result = executeTool(session(), "nonexistent_tool", "{}");
        assertClientReadable(result);
        assertThat(result.json().path("success").asBoolean()).isFalse();
    }

    @Test
    void cleanupSessionAnswers200() {
        String id = session();
        executeTool(id, "write_file", "{\"file_path\": \"/cleanup_test.txt\", \"content\": \"test\"}");
        var cleanup = spin.send("DELETE", "/session/" + id, null, "user-agent", "python-httpx/0.28.1");
        assertThat(cleanup.status()).isEqualTo(200);
        assertThat(executeTool(id, "read_file", "{\"file_path\": \"/cleanup_test.txt\"}").json().path("success").asBoolean()).isFalse();
    }

    @Test
    void sessionsAreIsolated() {
        String one = session();
        String two = session();
        executeTool(one, "write_file", "{\"file_path\": \"/isolated.txt\", \"content\": \"session1\"}");
        var read = executeTool(two, "read_file", "{\"file_path\": \"/isolated.txt\"}");
        assertThat(read.json().path("success").asBoolean()).isFalse();
        assertThat(read.json().path("result").asString()).doesNotContain("session1");
        assertThat(spin.delete("/session/" + one).status()).isEqualTo(200);
        assertThat(spin.delete("/session/" + two).status()).isEqualTo(200);
    }

    @Test
    void healthCheckAndComponentsAnswerWhatTheClientReads() {
        var health = spin.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("healthy");
        assertThat(health.json().path("components").isArray()).isTrue();
        assertThat(spin.get("/components").json().path("components").isArray()).isTrue();
    }

    @Test
    void seedFilesWritesEachFileThroughWriteFile() {
        String id = session();
        Map<String, String> scenario = Map.of("config.json", "{\"debug\": true}", "src/app.py", "print('hi')");
        for (var file : scenario.entrySet()) {
            String args = "{\"file_path\": " + dev.spindle.core.Json.write(file.getKey()) + ", \"content\": " + dev.spindle.core.Json.write(file.getValue()) + "}";
            var write = executeTool(id, "write_file", args);
            assertThat(write.json().path("success").asBoolean()).isTrue();
        }
        assertThat(executeTool(id, "list_files", "{}").json().path("result").asString()).isEqualTo("[\"config.json\",\"src/app.py\"]");
    }

    @Test
    void pathModeWithToolExecutePathWorksForBuiltinTools() {
        // tool_execute_path: /vfs/execute sends {name, arguments} with no session for every tool.
        var write = spin.post("/vfs/execute", "{\"name\": \"write_file\", \"arguments\": {\"file_path\": \"a.txt\", \"content\": \"x\"}}");
        assertThat(write.status()).isEqualTo(200);
        assertThat(write.json().has("result")).isTrue();
        var failure = spin.post("/vfs/execute", "{\"name\": \"read_file\", \"arguments\": {\"file_path\": \"missing.txt\"}}");
        assertThat(failure.status()).isNotEqualTo(200);
        assertThat(failure.json().path("error").asString()).isEqualTo("File not found: missing.txt");
    }
}
