package dev.spindle.server.openenv;

import dev.spindle.core.Json;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A step's action, OpenEnv's MCP action space: {@code {type: list_tools}} or {@code {type: call_tool, tool_name, arguments}}. */
sealed interface Action {
    record ListTools() implements Action {}

    record CallTool(String toolName, ObjectNode arguments) implements Action {}

    /** OpenEnv's actions refuse unknown fields; {@code metadata} is every action's. */
    Set<String> LIST_FIELDS = Set.of("type", "metadata");
    Set<String> CALL_FIELDS = Set.of("type", "metadata", "tool_name", "arguments");

    /** The action in a step frame's {@code data}; {@code VALIDATION_ERROR} when it is not one. */
    static Action parse(JsonNode data) {
        String type = data.path("type").isString() ? data.get("type").stringValue() : null;
        if ("list_tools".equals(type)) {
            only(data, LIST_FIELDS);
            return new ListTools();
        }
        if (!"call_tool".equals(type)) {
            throw FrameError.invalid("Invalid action: type must be \"list_tools\" or \"call_tool\"");
        }
        only(data, CALL_FIELDS);
        JsonNode name = data.path("tool_name");
        if (!name.isString() || name.stringValue().isEmpty()) {
            throw FrameError.invalid("Invalid action: call_tool needs tool_name, a non-empty string");
        }
        JsonNode arguments = data.path("arguments");
        if (!arguments.isMissingNode() && !arguments.isNull() && !arguments.isObject()) {
            throw FrameError.invalid("Invalid action: arguments must be an object");
        }
        return new CallTool(name.stringValue(), arguments instanceof ObjectNode object ? object : Json.object());
    }

    private static void only(JsonNode data, Set<String> fields) {
        for (String field : data.propertyNames()) {
            if (!fields.contains(field)) {
                throw FrameError.invalid("Invalid action: unexpected field '" + field + "'");
            }
        }
    }
}
