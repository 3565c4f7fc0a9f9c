package dev.spindle.mock;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolDefinition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One tool of the catalogue: its MCP definition, its responses, and its place in the listing order. */
record MockRecord(String name, String description, ObjectNode inputSchema, ObjectNode annotations, Responses responses, long order) {

    /** A record as {@code load-schema} receives it (MCP tool, optionally with mockResponse and fixtures). */
    static MockRecord parse(JsonNode json, int index, long order) {
        if (!json.isObject()) {
            throw invalid("tools[" + index + "] is not an object");
        }
        JsonNode name = json.path("name");
        if (!name.isString() || name.stringValue().isBlank()) {
            throw invalid("tools[" + index + "] has no name");
        }
        JsonNode schema = json.path("inputSchema");
        if (!schema.isMissingNode() && !schema.isNull() && !schema.isObject()) {
            throw invalid("tools[" + index + "] (" + name.stringValue() + "): inputSchema must be a JSON Schema object");
        }
        JsonNode description = json.path("description");
        return new MockRecord(name.stringValue(), description.isString() ? description.stringValue() : null,
                schema.isObject() ? (ObjectNode) schema : Json.object().put("type", "object"),
                json.path("annotations").isObject() ? (ObjectNode) json.get("annotations") : null,
                Responses.readFrom(json), order);
    }

    private static SpindleException invalid(String message) {
        return new SpindleException(ErrorType.InvalidRequest, message);
    }

    ToolDefinition definition() {
        return new ToolDefinition(name, description, inputSchema, annotations);
    }

    MockRecord withResponses(Responses responses) {
        return new MockRecord(name, description, inputSchema, annotations, responses, order);
    }

    /** A reloaded schema keeps this record's responses and place unless the caller replaces them. */
    MockRecord reloadedAs(MockRecord incoming, boolean replace) {
        boolean incomingHasResponses = incoming.responses.answersEveryCall() || !incoming.responses.fixtures().isEmpty();
        Responses kept = replace || incomingHasResponses ? incoming.responses : responses;
        return new MockRecord(name, incoming.description, incoming.inputSchema, incoming.annotations, kept, order);
    }

    byte[] bytes() {
        ObjectNode json = Json.object().put("name", name).put("order", order);
        if (description != null) {
            json.put("description", description);
        }
        json.set("inputSchema", inputSchema);
        if (annotations != null) {
            json.set("annotations", annotations);
        }
        responses.writeTo(json);
        return Json.writeBytes(json);
    }

    static MockRecord fromBytes(byte[] stored) {
        JsonNode json = Json.parse(stored);
        return parse(json, 0, json.path("order").asLong());
    }
}
