package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.MemoryStore;
import dev.spindle.env.TaskCatalog;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/** {@code /tasks}, {@code /sessions/{id}/call} and {@code /sessions/{id}/verify} over HTTP, with the example tasks. */
@Timeout(60)
class TaskRoutesTest {
    static final Path EXAMPLES = Path.of("../examples/tasks");

    TestServer s;

    @BeforeEach
    void start() {
        s = new TestServer(new MemoryStore(), b -> b, c -> c, TaskCatalog.load(EXAMPLES));
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void listsTheTasksAndShowsOneWithItsToolsButNotItsSolution() {
        var list = s.get("/tasks");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("tasks").findValuesAsString("id")).contains("fix-median", "refund-duplicate");
        var one = s.get("/tasks/refund-duplicate");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("max_steps").asInt()).isEqualTo(15);
        assertThat(one.json().path("tools").findValuesAsString("name")).containsExactlyInAnyOrder(
                "read_file", "write_file", "edit_file", "get_customer", "list_invoices", "refund_payment", "create_payment");
        assertThat(one.json().path("tools").get(0).has("inputSchema")).isTrue();
        assertThat(one.json().path("verifier").findValuesAsString("kind")).contains("called", "never_called", "json_path");
        assertThat(one.raw().body()).as("neither the expected texts nor the solution").doesNotContain("re_dup").doesNotContain("solution");
    }

    @Test
    void aSessionOpenedForATaskIsGradedByItsVerifier() {
        var opened = s.post("/tasks/refund-duplicate/sessions", "{\"seed\": 3, \"session_id\": \"ep-1\"}");
        assertThat(opened.status()).isEqualTo(201);
        assertThat(opened.json().path("session_id").asString()).isEqualTo("ep-1");
        assertThat(opened.json().path("task").asString()).isEqualTo("refund-duplicate");
        assertThat(opened.json().path("files").asInt()).isEqualTo(2);

        JsonNode idle = s.post("/sessions/ep-1/verify", "{\"task\": \"refund-duplicate\", \"seed\": 3}").json();
        assertThat(idle.path("reward").asDouble()).isZero();
        assertThat(idle.path("solved").asBoolean()).isFalse();
        assertThat(idle.path("checks").size()).isEqualTo(7);

        assertThat(s.post("/mock/execute", "{\"session_id\":\"ep-1\",\"tool\":\"get_customer\",\"args\":{\"customer_id\":\"cus_ada\"}}").status()).isEqualTo(200);
        var refund = s.post("/mock/execute", "{\"session_id\":\"ep-1\",\"tool\":\"refund_payment\",\"args\":{\"payment_id\":\"pay_1001\",\"reason\":\"duplicate, charged twice\"}}");
        assertThat(refund.json().path("result").asString()).contains("re_dup");
        s.vfs("ep-1", "write_file", "{\"file_path\":\"replies/T-42.md\",\"content\":\"Refunded: re_dup\"}");
        s.vfs("ep-1", "edit_file", "{\"file_path\":\"tickets/T-42.json\",\"old_string\":\"open\",\"new_string\":\"resolved\"}");
        var verdict = s.post("/sessions/ep-1/verify", "{\"task\": \"refund-duplicate\"}");
        assertThat(verdict.status()).isEqualTo(200);
        assertThat(verdict.json().path("reward").asDouble()).isEqualTo(1.0);
        assertThat(verdict.json().path("checks").get(1).path("name").asString()).isEqualTo("the duplicate is refunded");
        assertThat(verdict.json().path("checks").get(1).path("passed").asBoolean()).isTrue();

        s.post("/mock/execute", "{\"session_id\":\"ep-1\",\"tool\":\"create_payment\",\"args\":{\"customer_id\":\"cus_ada\",\"amount_cents\":1,\"currency\":\"usd\"}}");
        JsonNode mined = s.post("/sessions/ep-1/verify", "{\"task\": \"refund-duplicate\"}").json();
        assertThat(mined.path("reward").asDouble()).isZero();
        assertThat(mined.path("checks").get(3).path("message").asString()).isEqualTo("create_payment was called 1 times");
    }

    /** POST /sessions/{id}/call: a call as the task offers it; a tool it does not allow answers UnknownTool and runs nothing. */
    @Test
    void aCallInATaskRunsOnlyTheTasksTools() {
        s.post("/tasks/refund-duplicate/sessions", "{\"seed\": 3, \"session_id\": \"ep-2\"}");
        JsonNode found = s.post("/sessions/ep-2/call", "{\"task\": \"refund-duplicate\", \"tool\": \"get_customer\", \"args\": {\"customer_id\": \"cus_ada\"}}").json();
        assertThat(found.path("success").asBoolean()).as(found.toString()).isTrue();
        assertThat(found.path("result").asString()).contains("cus_ada");
        JsonNode refused = s.post("/sessions/ep-2/call", "{\"task\": \"refund-duplicate\", \"tool\": \"list_files\"}").json();
        assertThat(refused.path("success").asBoolean()).isFalse();
        assertThat(refused.path("error_type").asString()).isEqualTo("UnknownTool");
        assertThat(s.get("/sessions/ep-2/trace").json().path("calls").size()).as("the refused call ran nothing").isEqualTo(1);
        assertThat(s.post("/sessions/ep-2/call", "{\"tool\": \"get_customer\"}").status()).isEqualTo(400);
        assertThat(s.post("/sessions/ep-2/call", "{\"task\": \"refund-duplicate\"}").json().path("error").asString()).contains("tool is required");
        assertThat(s.post("/sessions/ep-2/call", "{\"task\": \"nope\", \"tool\": \"x\"}").status()).isEqualTo(404);
        assertThat(s.post("/sessions/ep-2/call", "[1]").status()).isEqualTo(400);
    }

    @Test
    void clientMistakesAnswer4xxWithATypedError() {
        var unknownTask = s.get("/tasks/nope");
        assertThat(unknownTask.status()).isEqualTo(404);
        assertThat(unknownTask.json().path("error_type").asString()).isEqualTo("NotFound");
        assertThat(unknownTask.json().path("error").asString()).contains("Unknown task 'nope'").contains("fix-median");
        s.post("/tasks/fix-median/sessions", "{\"session_id\": \"x\"}");
        assertThat(s.post("/tasks/fix-median/sessions", "{\"session_id\": \"x\"}").status()).isEqualTo(409);
        assertThat(s.post("/sessions/x/verify", "{}").json().path("error").asString()).contains("task is required");
        assertThat(s.post("/sessions/x/verify", "{\"task\": 5}").status()).isEqualTo(400);
        assertThat(s.post("/sessions/x/verify", "[1]").status()).isEqualTo(400);
        assertThat(s.post("/sessions/x/verify", "{\"task\": \"fix-median\", \"seed\": -1}").json().path("error").asString()).contains("seed must be");
        assertThat(s.post("/sessions/x/verify", "{\"task\": \"fix-median\", \"seed\": 1.5}").status()).isEqualTo(400);
        assertThat(s.post("/sessions/x/verify", "{\"task\": \"nope\"}").status()).isEqualTo(404);
        var unknownSession = s.post("/sessions/ghost/verify", "{\"task\": \"fix-median\"}");
        assertThat(unknownSession.status()).isEqualTo(404);
        assertThat(unknownSession.json().path("error_type").asString()).isEqualTo("UnknownSession");
        assertThat(s.post("/tasks/fix-median/sessions", "{\"seed\": \"7\"}").status()).isEqualTo(400);
        assertThat(s.post("/tasks/fix-median/sessions", "{bad json").status()).isEqualTo(400);
    }

    @Test
    void aServerWithoutTasksSaysHowToAddThem() {
        try (TestServer bare = TestServer.start("memory", null)) {
            assertThat(bare.get("/tasks").json().path("tasks").isEmpty()).isTrue();
            assertThat(bare.get("/tasks/x").json().path("error").asString()).contains("--tasks DIR");
        }
    }
}
