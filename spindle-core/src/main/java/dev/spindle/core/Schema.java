package dev.spindle.core;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small builder for a tool's {@code inputSchema}, so that each tool states its arguments in a few
 * readable lines next to its code. Produces plain JSON Schema (draft 2020-12 compatible).
 */
public final class Schema {
    private final ObjectNode properties = Json.object();
    private final ArrayNode required = Json.array();

    private Schema() {}

    public static Schema object() {
        return new Schema();
    }

    public Schema required(String name, ObjectNode property) {
        properties.set(name, property);
        required.add(name);
        return this;
    }

    public Schema optional(String name, ObjectNode property) {
        properties.set(name, property);
        return this;
    }

    public ObjectNode build() {
        ObjectNode schema = Json.object().put("type", "object");
        schema.set("properties", properties);
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    public static ObjectNode string(String description) {
        return Json.object().put("type", "string").put("description", description);
    }

    public static ObjectNode string(String description, int minLength) {
        return string(description).put("minLength", minLength);
    }

    public static ObjectNode bool(String description, boolean defaultValue) {
        return Json.object().put("type", "boolean").put("description", description).put("default", defaultValue);
    }

    public static ObjectNode hints(boolean readOnly, boolean destructive, boolean idempotent) {
        return Json.object()
                .put("readOnlyHint", readOnly)
                .put("destructiveHint", destructive)
                .put("idempotentHint", idempotent)
                .put("openWorldHint", false);
    }
}
