package dev.spindle.eval;

import dev.spindle.core.Json;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * DeepFabric's static metrics of an evaluated record, computed as its {@code evaluate} does
 * (deepfabric/evaluation/evaluators/builtin/tool_calling.py and metrics.py): only the first tool call
 * counts. Tool selection: the model's first tool is the record's. Parameters: with the tool's definition
 * among the record's tools, every required argument is present and every known one has its type (no
 * value is compared); without it, the same keys and equal values (strings case- and space-insensitive,
 * numbers within 1e-6). Executable: both. Overall: 0.40, 0.35 and 0.25 of the three. Nothing runs, so
 * a model that does the right thing another way scores wrong here; the outcome grade says otherwise.
 */
record FirstCallMetrics(boolean toolSelection, boolean parameters) {
    private static final double TOLERANCE = 1e-6;

    boolean executable() {
        return toolSelection && parameters;
    }

    double overall() {
        return 0.40 * (toolSelection ? 1 : 0) + 0.35 * (parameters ? 1 : 0) + 0.25 * (executable() ? 1 : 0);
    }

    ObjectNode toJson() {
        return Json.object().put("tool_selection", toolSelection).put("parameters", parameters).put("executable", executable())
                .put("overall", Math.round(overall() * 100) / 100.0);
    }

    /**
     * The metrics of the model's first call ({@code predictedTool} null when it made none) against the
     * record's first call; null when the record makes no tool call (DeepFabric skips such a record).
     */
    static FirstCallMetrics of(JsonNode record, String predictedTool, JsonNode predictedArguments) {
        JsonNode expected = firstCall(record);
        if (expected == null) {
            return null;
        }
        String expectedTool = expected.path("name").asString("");
        if (predictedTool == null) {
            return new FirstCallMetrics(false, false);
        }
        JsonNode expectedArguments = arguments(expected.path("arguments"));
        JsonNode predicted = predictedArguments != null && predictedArguments.isObject() ? predictedArguments : Json.object();
        return new FirstCallMetrics(predictedTool.equals(expectedTool), parametersMatch(record, predictedTool, expectedArguments, predicted));
    }

    private static JsonNode firstCall(JsonNode record) {
        for (JsonNode message : record.path("messages")) {
            JsonNode calls = message.path("tool_calls");
            if (calls.isArray() && !calls.isEmpty()) {
                return calls.get(0).path("function");
            }
        }
        return null;
    }

    private static JsonNode arguments(JsonNode raw) {
        if (raw.isObject()) {
            return raw;
        }
        try {
            JsonNode parsed = Json.parse(raw.asString("{}"));
            return parsed.isObject() ? parsed : Json.object();
        } catch (RuntimeException notJson) {
            return Json.object();
        }
    }

    private static boolean parametersMatch(JsonNode record, String tool, JsonNode expected, JsonNode predicted) {
        if (expected.isEmpty() && predicted.isEmpty()) {
            return true;
        }
        for (JsonNode definition : record.path("tools")) {
            JsonNode function = definition.path("function");
            if (function.path("name").asString("").equals(tool)) {
                return typesMatch(function.path("parameters"), predicted);
            }
        }
        return valuesMatch(expected, predicted);
    }

    private static boolean typesMatch(JsonNode schema, JsonNode predicted) {
        for (JsonNode required : schema.path("required")) {
            if (!predicted.has(required.asString(""))) {
                return false;
            }
        }
        JsonNode properties = schema.path("properties");
        for (Map.Entry<String, JsonNode> argument : predicted.properties()) {
            JsonNode property = properties.path(argument.getKey());
            if (!property.isMissingNode() && !hasType(type(property), argument.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The JSON type as DeepFabric reads it: the first non-null of a type list, string when missing. */
    private static String type(JsonNode property) {
        JsonNode type = property.path("type");
        if (type.isArray()) {
            for (Iterator<JsonNode> it = type.iterator(); it.hasNext(); ) {
                String member = it.next().asString("");
                if (!member.equals("null")) {
                    return member;
                }
            }
            return "string";
        }
        return type.asString("string");
    }

    private static boolean hasType(String type, JsonNode value) {
        return switch (type) {
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            default -> value.isString(); // DeepFabric maps every other type to str
        };
    }

    private static boolean valuesMatch(JsonNode expected, JsonNode predicted) {
        Set<String> keys = new HashSet<>(expected.propertyNames());
        if (!keys.equals(new HashSet<>(predicted.propertyNames()))) {
            return false;
        }
        for (String key : keys) {
            JsonNode want = expected.get(key);
            JsonNode got = predicted.get(key);
            boolean same = want.isString() && got.isString() ? want.asString().strip().equalsIgnoreCase(got.asString().strip())
                    : want.isNumber() && got.isNumber() ? Math.abs(want.asDouble() - got.asDouble()) <= TOLERANCE
                    : want.equals(got);
            if (!same) {
                return false;
            }
        }
        return true;
    }
}
