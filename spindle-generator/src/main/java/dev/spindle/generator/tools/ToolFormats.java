package dev.spindle.generator.tools;

import dev.spindle.core.Json;
import dev.spindle.core.ToolDefinition;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tool definitions between MCP ({@code name, description, inputSchema}), DeepFabric's native
 * {@code ToolDefinition} (a flat parameter list) and OpenAI function tools.
 */
public final class ToolFormats {
    private static final Map<String, String> PYTHON_TYPES = Map.of(
            "string", "str", "integer", "int", "number", "float", "boolean", "bool", "array", "list", "object", "dict");

    private ToolFormats() {}

    /** DeepFabric's {@code from_mcp}: six parameter types, {@code required} from the schema, defaults as text. */
    public static ObjectNode deepfabric(JsonNode tool) {
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
    public static ObjectNode openai(JsonNode tool) {
        ObjectNode function = Json.object().put("name", tool.path("name").asString()).put("description", tool.path("description").asString(""));
        function.set("parameters", tool.path("inputSchema").isObject() ? tool.get("inputSchema") : Json.object().put("type", "object"));
        ObjectNode out = Json.object().put("type", "function");
        out.set("function", function);
        return out;
    }

    /** A tool given in any of the three forms, as an MCP definition (JSON Schema arguments). */
    public static ToolDefinition toMcp(JsonNode tool) {
        if (tool.path("type").asString("").equals("function") && tool.path("function").isObject()) {
            JsonNode function = tool.get("function");
            ObjectNode mcp = Json.object().put("name", function.path("name").asString()).put("description", function.path("description").asString(""));
            mcp.set("inputSchema", function.path("parameters").isObject() ? function.get("parameters") : Json.object().put("type", "object"));
            return ToolDefinition.fromJson(mcp);
        }
        if (!tool.path("parameters").isArray()) {
            return ToolDefinition.fromJson(tool);
        }
        ObjectNode schema = Json.object().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        for (JsonNode parameter : tool.get("parameters")) {
            String name = parameter.path("name").asString();
            ObjectNode property = properties.putObject(name)
                    .put("type", JSON_TYPES.getOrDefault(parameter.path("type").asString("str"), "string"))
                    .put("description", parameter.path("description").asString(""));
            if (parameter.path("required").asBoolean(true)) {
                required.add(name);
            } else if (parameter.path("default").isString() && !parameter.get("default").stringValue().isEmpty()) {
                property.put("default", parameter.get("default").stringValue());
            }
        }
        return new ToolDefinition(tool.path("name").asString(), tool.path("description").asString(""), schema, null);
    }

    private static final Map<String, String> JSON_TYPES = Map.of(
            "str", "string", "int", "integer", "float", "number", "bool", "boolean", "list", "array", "dict", "object");
}
