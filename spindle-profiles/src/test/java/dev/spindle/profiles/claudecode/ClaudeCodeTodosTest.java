package dev.spindle.profiles.claudecode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** TodoWrite keeps the list in the session's state: replaced by the next call, carried by a fork and a snapshot. */
@Timeout(60)
class ClaudeCodeTodosTest {
    private static final String LIST = "[{\"content\":\"Read the code\",\"status\":\"completed\",\"id\":\"1\"},{\"content\":\"Fix add\",\"status\":\"in_progress\",\"id\":\"2\"}]";

    @Test
    void theListPersistsForksAndSnapshots(@TempDir Path home) {
        try (ProfileServer s = new ProfileServer(home)) {
            assertThat(s.ok("w", "TodoWrite", "{\"todos\":[{\"content\":\"first\",\"status\":\"pending\",\"id\":\"1\"}]}")).isEqualTo(
                    "Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable");
            s.ok("w", "TodoWrite", "{\"todos\":" + LIST + "}");
            s.post("/sessions/w/fork", "{\"session_id\":\"copy\"}");
            assertThat(todos(s, "copy")).isEqualTo(Json.parse(LIST));
            assertThat(todos(s, "w")).isEqualTo(Json.parse(LIST));
        }
    }

    @Test
    void aTodoOutsideTheSchemaIsRefusedAndTheListKept(@TempDir Path home) {
        try (ProfileServer s = new ProfileServer(home)) {
            s.ok("w", "TodoWrite", "{\"todos\":" + LIST + "}");
            s.fails("w", "TodoWrite", "{\"todos\":[{\"content\":\"x\",\"status\":\"blocked\",\"id\":\"1\"}]}", "InvalidArguments");
            s.fails("w", "TodoWrite", "{\"todos\":[{\"content\":\"\",\"status\":\"pending\",\"id\":\"1\"}]}", "InvalidArguments");
            String huge = "{\"todos\":[" + ("{\"content\":\"" + "x".repeat(1000) + "\",\"status\":\"pending\",\"id\":\"1\"},").repeat(70) + "{\"content\":\"y\",\"status\":\"pending\",\"id\":\"2\"}]}";
            assertThat(s.fails("w", "TodoWrite", huge, "QuotaExceeded")).contains("the limit is 65536");
            assertThat(todos(s, "w")).isEqualTo(Json.parse(LIST));
        }
    }

    /** The session's todo list as its snapshot archive holds it. */
    private static JsonNode todos(ProfileServer s, String session) {
        String id = s.post("/sessions/" + session + "/snapshot", "{}").path("snapshot_id").asString();
        String value = s.get("/snapshots/" + id).path("data").path("state:claude-code").path("todos").asString();
        return Json.parse(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
    }
}
