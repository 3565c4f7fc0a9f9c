package dev.spindle.core;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tool as MCP describes it: name, description, the JSON Schema of its arguments and optional
 * behaviour hints ({@code readOnlyHint}, {@code destructiveHint}, ...).
 */
public record ToolDefinition(String name, String description, ObjectNode inputSchema, ObjectNode annotations) {

    public ToolDefinition {
        if (description == null) {
            description = "";
        }
    }

    /** The MCP JSON form: {@code {name, description, inputSchema, annotations?}}. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("name", name);
        json.put("description", description);
        json.set("inputSchema", inputSchema);
        if (annotations != null && !annotations.isEmpty()) {
            json.set("annotations", annotations);
        }
        return json;
    }

    public static ToolDefinition fromJson(JsonNode json) {
        ObjectNode schema = json.get("inputSchema") instanceof ObjectNode o ? o : Json.object().put("type", "object");
        ObjectNode annotations = json.get("annotations") instanceof ObjectNode o ? o : null;
        return new ToolDefinition(json.path("name").asString(), json.path("description").asString(""), schema, annotations);
    }
}
