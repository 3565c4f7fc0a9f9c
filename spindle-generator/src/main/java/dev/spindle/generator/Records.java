package dev.spindle.generator;

import dev.spindle.core.Json;
import dev.spindle.generator.Sample.Call;
import dev.spindle.generator.Sample.Step;
import dev.spindle.generator.tools.AgentTool;
import dev.spindle.generator.tools.ToolBox;
import dev.spindle.generator.tools.ToolFormats;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A sample as one record in DeepFabric's {@code Conversation} shape: messages (assistant tool calls,
 * then one tool message per call, paired by id), reasoning, tool_context, the full JSON Schema of the
 * tools in {@code tools}, question and final_answer. {@code metadata.sample_index} is Spindle's: it
 * lets {@code --resume} skip samples already written.
 */
public final class Records {
    private Records() {}

    /** A message's content as text: a string as it is, anything else as compact JSON, none as empty. */
    public static String contentText(JsonNode content) {
        return content.isString() ? content.stringValue() : content.isNull() || content.isMissingNode() ? "" : Json.write(content);
    }

    public static ObjectNode record(Sample sample, String systemMessage, ToolBox tools, boolean allTools) {
        boolean agent = !tools.all().isEmpty();
        ObjectNode record = Json.object();
        ArrayNode messages = record.putArray("messages");
        if (systemMessage != null && !systemMessage.isBlank()) {
            messages.addObject().put("role", "system").put("content", systemMessage);
        }
        messages.addObject().put("role", "user").put("content", sample.question());
        for (Step step : sample.steps()) {
            if (step.calls().isEmpty()) {
                continue;
            }
            ArrayNode toolCalls = messages.addObject().put("role", "assistant").put("content", "").putArray("tool_calls");
            for (Call call : step.calls()) {
                ObjectNode function = toolCalls.addObject().put("id", call.id()).put("type", "function").putObject("function");
                function.put("name", call.name()).put("arguments", call.arguments());
            }
            for (Call call : step.calls()) {
                messages.addObject().put("role", "tool").put("content", call.content()).put("tool_call_id", call.id());
            }
        }
        messages.addObject().put("role", "assistant").put("content", sample.finalAnswer());

        ObjectNode metadata = record.putObject("metadata").put("conversation_type", agent ? "cot" : "basic");
        if (agent) {
            metadata.put("react_steps", sample.steps().size());
        }
        metadata.put("topic_id", sample.topic().id()).put("topic", sample.topic().text()).put("sample_index", sample.index());
        if (agent) {
            ArrayNode reasoning = record.putObject("reasoning").put("style", "agent").putArray("content");
            for (Step step : sample.steps()) {
                reasoning.addObject().put("step_number", step.number()).put("thought", step.thought())
                        .put("action", step.calls().isEmpty() ? "Ready to respond to user"
                                : String.join("; ", step.calls().stream().map(call -> call.name() + "(" + call.arguments() + ")").toList()));
            }
            ArrayNode executions = record.putObject("tool_context").putArray("executions");
            for (Step step : sample.steps()) {
                for (Call call : step.calls()) {
                    executions.addObject().put("function_name", call.name()).put("arguments", call.arguments())
                            .put("reasoning", step.thought()).put("result", call.content());
                }
            }
            ArrayNode toolList = record.putArray("tools");
            Set<String> used = new LinkedHashSet<>(sample.calls().stream().map(Call::name).toList());
            List<AgentTool> listed = allTools || used.isEmpty() ? tools.all()
                    : tools.all().stream().filter(tool -> used.contains(tool.name())).toList();
            Set<String> seen = new LinkedHashSet<>();
            listed.stream().filter(tool -> seen.add(tool.name())).forEach(tool -> toolList.add(ToolFormats.openai(tool.definition().toJson())));
            record.putObject("agent_context").put("mode", "single_turn");
        }
        record.put("question", sample.question()).put("final_answer", sample.finalAnswer());
        return record;
    }
}
