package dev.spindle.cli;

import dev.spindle.core.Json;
import dev.spindle.generator.Records;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A dataset record (OpenAI messages, as the generator and DeepFabric write them) as plain text: each turn
 * under a bracketed label, bodies indented; a step's reasoning before its tool calls, the last assistant
 * answer as the final answer. A tool call's code ({@code code}, or any string argument over several lines)
 * is shown as code, not as one escaped JSON line. The web console's datasets page shows the same parts.
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
            String content = Records.contentText(message.path("content"));
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
                        block(out, "tool call " + name, arguments(Records.contentText(call.path("function").path("arguments"))));
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
        indented(out, "  ", body);
    }

    private static void indented(StringBuilder out, String indent, String body) {
        for (String line : body.split("\n", -1)) {
            out.append(line.isEmpty() ? "" : indent).append(line).append('\n');
        }
    }

    /**
     * A call's arguments: the plain ones as compact JSON, then each code argument under its name as an
     * indented block; arguments that are not a JSON object as they were sent.
     */
    private static String arguments(String json) {
        JsonNode arguments;
        try {
            arguments = Json.parse(json);
        } catch (RuntimeException notJson) {
            return json;
        }
        if (!arguments.isObject()) {
            return json;
        }
        ObjectNode plain = Json.object();
        StringBuilder code = new StringBuilder();
        for (Map.Entry<String, JsonNode> argument : arguments.properties()) {
            JsonNode value = argument.getValue();
            if (value.isString() && (argument.getKey().equals("code") || value.stringValue().contains("\n"))) {
                code.append(argument.getKey()).append(":\n");
                indented(code, "  ", value.stringValue());
            } else {
                plain.set(argument.getKey(), value);
            }
        }
        if (code.isEmpty()) {
            return json;
        }
        String rest = plain.isEmpty() ? "" : Json.write(plain) + "\n";
        return rest + code.substring(0, code.length() - 1);
    }
}
