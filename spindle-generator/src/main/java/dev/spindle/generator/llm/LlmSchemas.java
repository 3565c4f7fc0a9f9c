package dev.spindle.generator.llm;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.spindle.core.Json;
import dev.spindle.core.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Tool JSON Schemas as LangChain4j tool specifications. OpenAI-compatible providers get every
 * property's schema verbatim (enums, formats, bounds, nested shapes all reach the model); the others
 * get LangChain4j's typed elements, which their adapters can translate (descriptions, enums, items
 * and nested properties survive; numeric bounds and formats do not).
 */
public final class LlmSchemas {
    private LlmSchemas() {}

    public static ToolSpecification specification(ToolDefinition tool, boolean verbatim) {
        return ToolSpecification.builder()
                .name(tool.name())
                .description(tool.description().isEmpty() ? null : tool.description())
                .parameters(object(tool.inputSchema(), verbatim))
                .build();
    }

    private static JsonObjectSchema object(JsonNode schema, boolean verbatim) {
        JsonObjectSchema.Builder builder = JsonObjectSchema.builder();
        if (schema.path("description").isString()) {
            builder.description(schema.get("description").stringValue());
        }
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            builder.addProperty(property.getKey(), verbatim ? JsonRawSchema.from(Json.write(property.getValue())) : element(property.getValue()));
        }
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asString()));
        builder.required(required);
        if (schema.path("additionalProperties").isBoolean()) {
            builder.additionalProperties(schema.get("additionalProperties").asBoolean());
        }
        return builder.build();
    }

    private static JsonSchemaElement element(JsonNode schema) {
        String description = schema.path("description").isString() ? schema.get("description").stringValue() : null;
        if (schema.path("enum").isArray() && !schema.get("enum").isEmpty() && schema.get("enum").get(0).isString()) {
            List<String> values = new ArrayList<>();
            schema.get("enum").forEach(value -> values.add(value.asString()));
            return JsonEnumSchema.builder().enumValues(values).description(description).build();
        }
        return switch (type(schema)) {
            case "integer" -> JsonIntegerSchema.builder().description(description).build();
            case "number" -> JsonNumberSchema.builder().description(description).build();
            case "boolean" -> JsonBooleanSchema.builder().description(description).build();
            case "array" -> JsonArraySchema.builder().description(description)
                    .items(schema.path("items").isObject() ? element(schema.get("items")) : JsonStringSchema.builder().build()).build();
            case "object" -> object(schema, false);
            default -> JsonStringSchema.builder().description(description).build();
        };
    }

    /** The first non-null type, as DeepFabric reads nullable types; a missing type counts as string. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode member : type) {
                if (!member.asString().equals("null")) {
                    return member.asString();
                }
            }
        }
        return type.asString("string");
    }
}
