package dev.spindle.cli;

import dev.spindle.core.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A dataset record (OpenAI messages, as the generator and DeepFabric write them) as plain text: each turn
 * under a bracketed label, bodies indented; a step's reasoning before its tool calls, the last assistant
 * answer as the final answer. The web console's datasets page shows the same parts.
 */
final class ConversationText {
    private static final int SYSTEM_PREVIEW_CHARS = 200;

    private ConversationText() {}

    static String render(JsonNode record) {
        StringBuilder out = new StringBuilder();
        JsonNode messages = record.path("messages");
        List<String> thoughts = new ArrayList<>();
        record.path("reasoning").path("content").forEach(step -> thoughts.add(step.path("thought").asString("")));
        Map<String, String> toolNames = new HashMap<>();
        int finalAnswer = lastAnswer(messages);
        int step = 0;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String content = text(message.path("content"));
            switch (message.path("role").asString("")) {
                case "system" -> block(out, "system", content.length() > SYSTEM_PREVIEW_CHARS
                        ? content.substring(0, SYSTEM_PREVIEW_CHARS) + "... (" + content.length() + " characters)" : content);
                case "user" -> block(out, "user", content);
                case "assistant" -> {
                    JsonNode calls = message.path("tool_calls");
                    if (!calls.isEmpty() && step < thoughts.size() && !thoughts.get(step).isBlank()) {
                        block(out, "reasoning", thoughts.get(step));
                    }
                    step += calls.isEmpty() ? 0 : 1;
                    if (!content.isBlank()) {
                        block(out, i == finalAnswer ? "final answer" : "assistant", content);
                    }
                    for (JsonNode call : calls) {
                        String name = call.path("function").path("name").asString("?");
                        toolNames.put(call.path("id").asString(""), name);
                        block(out, "tool call " + name, text(call.path("function").path("arguments")));
                    }
                }
                case "tool" -> block(out, "tool result " + toolNames.getOrDefault(message.path("tool_call_id").asString(""), ""), content);
                default -> block(out, message.path("role").asString("message"), content);
            }
        }
        return out.toString();
    }

    /** The last assistant message without tool calls: the answer the conversation ends on. */
    private static int lastAnswer(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (message.path("role").asString("").equals("assistant") && message.path("tool_calls").isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    private static void block(StringBuilder out, String label, String body) {
        out.append('[').append(label.strip()).append("]\n");
        for (String line : body.split("\n", -1)) {
            out.append("  ").append(line).append('\n');
        }
    }

    private static String text(JsonNode content) {
        return content.isString() ? content.stringValue() : content.isNull() || content.isMissingNode() ? "" : Json.write(content);
    }
}
