package dev.spindle.cli;

import dev.spindle.core.Json;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** MCP tool definitions written as DeepFabric's {@code ToolDefinition} or as OpenAI function tools. */
final class ToolFormats {
    private static final Map<String, String> PYTHON_TYPES = Map.of(
            "string", "str", "integer", "int", "number", "float", "boolean", "bool", "array", "list", "object", "dict");

    private ToolFormats() {}

    /** DeepFabric's {@code from_mcp}: six parameter types, {@code required} from the schema, defaults as text. */
    static ObjectNode deepfabric(JsonNode tool) {
        ObjectNode out = Json.object().put("name", tool.path("name").asString()).put("description", tool.path("description").asString(""));
        JsonNode schema = tool.path("inputSchema");
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        ArrayNode parameters = out.putArray("parameters");
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            JsonNode spec = property.getValue();
            ObjectNode parameter = parameters.addObject().put("name", property.getKey())
                    .put("type", pythonType(spec.path("type")))
                    .put("description", spec.path("description").asString(""))
                    .put("required", required.contains(property.getKey()));
            JsonNode given = spec.get("default");
            parameter.put("default", given == null ? "" : given.isString() ? given.stringValue()
                    : given.isBoolean() ? (given.asBoolean() ? "True" : "False") : Json.write(given));
        }
        return out.put("returns", "").put("category", "general").putNull("component");
    }

    private static String pythonType(JsonNode type) {
        if (type.isArray()) {
            for (JsonNode member : type) {
                if (!member.asString().equals("null")) {
                    return PYTHON_TYPES.getOrDefault(member.asString(), "str");
                }
            }
        }
        return PYTHON_TYPES.getOrDefault(type.asString("string"), "str");
    }

    /** An OpenAI function tool, keeping the full JSON Schema (not the six-type projection). */
    static ObjectNode openai(JsonNode tool) {
        ObjectNode function = Json.object().put("name", tool.path("name").asString()).put("description", tool.path("description").asString(""));
        function.set("parameters", tool.path("inputSchema").isObject() ? tool.get("inputSchema") : Json.object().put("type", "object"));
        ObjectNode out = Json.object().put("type", "function");
        out.set("function", function);
        return out;
    }
}
