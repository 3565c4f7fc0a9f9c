package dev.spindle.generator.tools;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.ToolResult;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a model's tool call becomes a real execution and a tool message, one way for {@code generate}
 * (which records it) and {@code verify} (which replays it), so a replay can only differ where the
 * tool does.
 */
public final class ToolCalls {
    private ToolCalls() {}

    /**
     * One call made real. {@code arguments} is what was executed and is recorded: compact JSON with
     * top-level nulls removed, or the model's text when it was not JSON.
     */
    public record Execution(String arguments, ToolResult result) {
        /** The tool message: the result, or {@code Error (Type): message} as DeepFabric writes failures. */
        public String content() {
            return result.success() ? result.result() : "Error (" + result.errorType().name() + "): " + result.result();
        }
    }

    /**
     * Runs {@code name} with the model's raw arguments in {@code session}. {@code tools} null means
     * any tool the service has. Failures of the call itself (not JSON, not an object, a tool nobody
     * offered) are failed results like any tool's; an unreachable service throws.
     */
    public static Execution run(ToolRunner runner, ToolBox tools, String session, String name, String rawArguments) {
        JsonNode arguments;
        try {
            arguments = rawArguments == null || rawArguments.isBlank() ? Json.object() : Json.parse(rawArguments);
        } catch (RuntimeException notJson) {
            return new Execution(rawArguments, ToolResult.failure(ErrorType.InvalidArguments, "arguments are not valid JSON"));
        }
        if (arguments instanceof ObjectNode object) {
            List<String> nulls = object.propertyStream().filter(e -> e.getValue().isNull()).map(Map.Entry::getKey).toList();
            nulls.forEach(object::remove);
        }
        String recorded = Json.write(arguments);
        AgentTool tool = tools == null ? new AgentTool(new ToolDefinition(name, "", Json.object(), null), null) : tools.find(name).orElse(null);
        if (tool == null) {
            return new Execution(recorded, ToolResult.unknownTool(name, tools.names()));
        }
        if (!arguments.isObject()) {
            return new Execution(recorded, ToolResult.failure(ErrorType.InvalidArguments, "arguments must be a JSON object"));
        }
        return new Execution(recorded, runner.run(session, tool, arguments));
    }
}
