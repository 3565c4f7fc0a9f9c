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

/** Anthropic messages ({@code /v1/messages}): content blocks in, text and {@code tool_use} blocks out. */
final class AnthropicMessages implements ProviderProtocol {
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final AtomicInteger IDS = new AtomicInteger();

    @Override
    public Turn read(JsonNode request) {
        List<String[]> results = new ArrayList<>();
        List<String> callNames = new ArrayList<>();
        String firstUser = null;
        String last = "";
        for (JsonNode message : request.path("messages")) {
            JsonNode content = message.path("content");
            List<JsonNode> blocks = new ArrayList<>();
            if (content.isString()) {
                blocks.add(JSON.createObjectNode().put("type", "text").put("text", content.stringValue()));
            } else {
                content.forEach(blocks::add);
            }
            for (JsonNode block : blocks) {
                switch (block.path("type").asString()) {
                    case "text" -> {
                        if (message.path("role").asString().equals("user")) {
                            last = block.path("text").asString();
                            firstUser = firstUser == null ? last : firstUser;
                        }
                    }
                    case "tool_use" -> callNames.add(block.path("name").asString());
                    case "tool_result" -> results.add(new String[] {callNames.get(results.size()), text(block.path("content"))});
                    default -> { }
                }
            }
        }
        return new Turn(last, firstUser, request.path("tools").isArray() && !request.get("tools").isEmpty(), results);
    }

    private static String text(JsonNode content) {
        if (content.isString()) {
            return content.stringValue();
        }
        StringBuilder out = new StringBuilder();
        content.forEach(block -> out.append(block.path("text").asString("")));
        return out.toString();
    }

    @Override
    public JsonNode answer(Decision decision) {
        ObjectNode response = JSON.createObjectNode().put("id", "msg_" + IDS.incrementAndGet()).put("type", "message").put("role", "assistant").put("model", "fake");
        ArrayNode content = response.putArray("content");
        if (decision.calls().isEmpty()) {
            content.addObject().put("type", "text").put("text", decision.text());
        } else {
            content.addObject().put("type", "text").put("text", "I will look at the workspace.");
            for (String[] call : decision.calls()) {
                content.addObject().put("type", "tool_use").put("id", "toolu_" + IDS.incrementAndGet()).put("name", call[0])
                        .set("input", JSON.readTree(call[1]));
            }
        }
        response.put("stop_reason", decision.calls().isEmpty() ? "end_turn" : "tool_use").putNull("stop_sequence");
        response.putObject("usage").put("input_tokens", 100).put("output_tokens", 20);
        return response;
    }
}
