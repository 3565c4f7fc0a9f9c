package dev.spindle.mock;

import dev.spindle.core.Json;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * An argument-specific answer: when every argument named in {@code match} equals the call's, the
 * {@code response} is the answer. Equality is deep JSON equality, except that a string also equals a
 * number or boolean whose JSON text it is ({@code "342"} matches {@code 342}), as the reference's
 * text-keyed fixtures did. The more arguments a fixture names, the more specific it is.
 */
record Fixture(ObjectNode match, JsonNode response) {

    int specificity() {
        return match.size();
    }

    boolean matches(JsonNode arguments) {
        for (Map.Entry<String, JsonNode> expected : match.properties()) {
            JsonNode actual = arguments.get(expected.getKey());
            if (actual == null || !same(expected.getValue(), actual)) {
                return false;
            }
        }
        return true;
    }

    static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return finite(a) && finite(b) ? new BigDecimal(a.asString()).compareTo(new BigDecimal(b.asString())) == 0
                    : a.doubleValue() == b.doubleValue();
        }
        if (a.isString() != b.isString() && (a.isValueNode() && b.isValueNode())) {
            JsonNode text = a.isString() ? a : b;
            JsonNode other = a.isString() ? b : a;
            return (other.isNumber() || other.isBoolean() || other.isNull()) && text.stringValue().equals(Json.write(other));
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : a.properties()) {
                JsonNode other = b.get(field.getKey());
                if (other == null || !same(field.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** False for a number too large for a double (1e999 reads as Infinity), which has no decimal form. */
    private static boolean finite(JsonNode number) {
        return !(number.isDouble() || number.isFloat()) || Double.isFinite(number.doubleValue());
    }

    /** The reference's key: {@code k=v} pairs sorted and joined with commas (strings raw, else compact JSON). */
    String key() {
        Map<String, String> parts = new TreeMap<>();
        match.properties().forEach(e -> parts.put(e.getKey(), e.getValue().isString() ? e.getValue().stringValue() : Json.write(e.getValue())));
        return parts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /**
     * A fixture from the reference's {@code mockFixtures} map, keyed by that text key. Values that read
     * as JSON (numbers, booleans, arrays) are taken as JSON; anything else as a string.
     */
    static Fixture fromReferenceKey(String key, JsonNode response) {
        ObjectNode match = Json.object();
        if (!key.isEmpty()) {
            for (String part : key.split(",")) {
                int eq = part.indexOf('=');
                if (eq > 0) {
                    match.set(part.substring(0, eq), textOrJson(part.substring(eq + 1)));
                }
            }
        }
        return new Fixture(match, response);
    }

    private static JsonNode textOrJson(String value) {
        try {
            JsonNode parsed = Json.parse(value);
            return parsed.isString() ? StringNode.valueOf(value) : parsed;
        } catch (RuntimeException notJson) {
            return StringNode.valueOf(value);
        }
    }

    ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.set("match", match);
        json.set("response", response);
        return json;
    }
}
