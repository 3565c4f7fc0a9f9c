package dev.spindle.env;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** JSON comparisons for assertions: numbers by value ({@code 1} equals {@code 1.0}), objects by subset. */
final class JsonMatch {
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    private JsonMatch() {}

    static boolean equal(JsonNode expected, JsonNode actual) {
        return expected.equals(BY_VALUE, actual);
    }

    /**
     * True when {@code actual} has everything {@code expected} names: every key of an expected object with a
     * matching value (extra keys allowed, recursively), arrays of the same length matching element by
     * element, other values equal.
     */
    static boolean subset(JsonNode expected, JsonNode actual) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                JsonNode value = actual.get(field.getKey());
                if (value == null || !subset(field.getValue(), value)) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return false;
            }
            Iterator<JsonNode> given = actual.iterator();
            for (JsonNode element : expected) {
                if (!subset(element, given.next())) {
                    return false;
                }
            }
            return true;
        }
        return equal(expected, actual);
    }
}
