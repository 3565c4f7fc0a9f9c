package dev.spindle.testing;

import dev.spindle.testing.ScriptedAgent.Decision;
import dev.spindle.testing.ScriptedAgent.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** OpenAI chat completions ({@code /v1/chat/completions}): messages in, one choice with a message or tool calls out. */
final class OpenAiChat implements ProviderProtocol {
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final AtomicInteger IDS = new AtomicInteger();

    @Override
    public Turn read(JsonNode request) {
        List<String[]> results = new ArrayList<>();
        String firstUser = null;
        String last = "";
        List<String> callNames = new ArrayList<>();
        for (JsonNode message : request.path("messages")) {
            String role = message.path("role").asString();
            if (role.equals("user")) {
                last = message.path("content").asString("");
                firstUser = firstUser == null ? last : firstUser;
            }
            message.path("tool_calls").forEach(call -> callNames.add(call.path("function").path("name").asString()));
            if (role.equals("tool")) {
                results.add(new String[] {callNames.get(results.size()), message.path("content").asString("")});
            }
        }
        return new Turn(last, firstUser, request.path("tools").isArray() && !request.get("tools").isEmpty(), results);
    }

    @Override
    public JsonNode answer(Decision decision) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        if (decision.calls().isEmpty()) {
            message.put("content", decision.text());
        } else {
            message.put("content", "I will look at the workspace.");
            ArrayNode calls = message.putArray("tool_calls");
            for (String[] call : decision.calls()) {
                calls.addObject().put("id", "call_" + IDS.incrementAndGet()).put("type", "function")
                        .set("function", JSON.createObjectNode().put("name", call[0]).put("arguments", call[1]));
            }
        }
        ObjectNode response = JSON.createObjectNode().put("id", "chatcmpl-" + IDS.incrementAndGet()).put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", "fake");
        response.putArray("choices").addObject().put("index", 0).put("finish_reason", decision.calls().isEmpty() ? "stop" : "tool_calls")
                .set("message", message);
        response.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
        return response;
    }
}
