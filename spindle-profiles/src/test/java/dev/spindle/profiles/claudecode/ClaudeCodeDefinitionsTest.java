package dev.spindle.profiles.claudecode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /components} lists each Claude Code tool with the definition Claude Code sends: the fixtures in
 * src/test/resources/claude-code are those definitions as captured from its API requests (each names its
 * source in {@code $comment}).
 */
@Timeout(60)
class ClaudeCodeDefinitionsTest {
    static final List<String> TOOLS = List.of("Bash", "Glob", "Grep", "LS", "Read", "Edit", "MultiEdit", "Write", "TodoWrite");

    @Test
    void everyToolIsServedWithClaudeCodesExactDefinition(@TempDir Path home) throws IOException {
        try (ProfileServer s = new ProfileServer(home)) {
            JsonNode listed = s.get("/components");
            assertThat(listed.path("components").valueStream().map(JsonNode::asString)).contains("claude-code");
            List<JsonNode> served = listed.path("tools").valueStream().filter(t -> t.path("component").asString().equals("claude-code")).toList();
            assertThat(served.stream().map(t -> t.path("name").asString())).containsExactlyElementsOf(TOOLS);
            for (JsonNode tool : served) {
                JsonNode expected = fixture(tool.path("name").asString());
                assertThat(tool.path("inputSchema")).as(tool.path("name").asString()).isEqualTo(expected.path("input_schema"));
                assertThat(tool.path("description").asString()).isEqualTo(expected.path("description").asString());
            }
        }
    }

    static JsonNode fixture(String tool) throws IOException {
        try (InputStream in = ClaudeCodeDefinitionsTest.class.getResourceAsStream("/claude-code/" + tool + ".json")) {
            return Json.MAPPER.readTree(in);
        }
    }
}
