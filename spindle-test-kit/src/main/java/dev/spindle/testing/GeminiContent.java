package dev.spindle.testing;

import dev.spindle.testing.ScriptedAgent.Decision;
import dev.spindle.testing.ScriptedAgent.Turn;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Gemini {@code generateContent} ({@code /v1/models/...}): contents and parts in, one candidate with text or function calls out. */
final class GeminiContent implements ProviderProtocol {
    private static final JsonMapper JSON = JsonMapper.shared();

    @Override
    public Turn read(JsonNode request) {
        List<String[]> results = new ArrayList<>();
        String firstUser = null;
        String last = "";
        for (JsonNode content : request.path("contents")) {
            for (JsonNode part : content.path("parts")) {
                if (part.has("text") && content.path("role").asString().equals("user")) {
                    last = part.get("text").asString();
                    firstUser = firstUser == null ? last : firstUser;
                }
                if (part.has("functionResponse")) {
                    JsonNode response = part.get("functionResponse").path("response");
                    results.add(new String[] {part.get("functionResponse").path("name").asString(),
                            response.path("response").isString() ? response.get("response").stringValue() : JSON.writeValueAsString(response)});
                }
            }
        }
        boolean tools = false;
        for (JsonNode tool : request.path("tools")) {
            tools |= !tool.path("functionDeclarations").isEmpty();
        }
        return new Turn(last, firstUser, tools, results);
    }

    @Override
    public JsonNode answer(Decision decision) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        ArrayNode parts = candidate.putObject("content").put("role", "model").putArray("parts");
        if (decision.calls().isEmpty()) {
            parts.addObject().put("text", decision.text());
        } else {
            for (String[] call : decision.calls()) {
                parts.addObject().putObject("functionCall").put("name", call[0]).set("args", JSON.readTree(call[1]));
            }
        }
        candidate.put("finishReason", "STOP").put("index", 0);
        response.putObject("usageMetadata").put("promptTokenCount", 100).put("candidatesTokenCount", 20).put("totalTokenCount", 120);
        return response;
    }
}
