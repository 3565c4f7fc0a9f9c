package dev.spindle.core.runtime;

import dev.spindle.core.Json;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * A bounded copy of a JSON value for the trace, whatever its shape: strings, arrays and objects are cut
 * once about {@code budget} characters of JSON have been kept, and nesting past {@value #MAX_DEPTH}
 * levels is replaced, each cut marked with what was left out. {@link #size()} is the kept part's
 * approximate size in characters, which the trace counts against its per-session budget.
 */
final class TracePreview {
    static final int MAX_DEPTH = 16;

    private final JsonNode value;
    private int left;
    private final int budget;

    private TracePreview(JsonNode source, int budget) {
        this.budget = budget;
        this.left = budget;
        this.value = copy(source, 0);
    }

    static TracePreview of(JsonNode source, int budget) {
        return new TracePreview(source, budget);
    }

    JsonNode value() {
        return value;
    }

    int size() {
        return budget - left;
    }

    /** The text cut to {@code max} characters (never inside a surrogate pair), with how much was left out. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "... [" + (text.length() - end) + " more characters]";
    }

    private JsonNode copy(JsonNode node, int depth) {
        if (node.isString()) {
            String text = node.stringValue();
            int room = Math.max(0, left);
            left -= Math.min(text.length(), room) + 2;
            return text.length() <= room ? node : StringNode.valueOf(cut(text, room));
        }
        if (!node.isContainer()) {
            left -= node.toString().length(); // numbers, booleans, null: immutable and small
            return node;
        }
        if (depth == MAX_DEPTH) {
            left -= 30;
            return StringNode.valueOf("[nested deeper than " + MAX_DEPTH + " levels]");
        }
        left -= 2;
        return node.isArray() ? copyArray(node, depth) : copyObject(node, depth);
    }

    private ArrayNode copyArray(JsonNode array, int depth) {
        ArrayNode copy = Json.array();
        int index = 0;
        for (JsonNode item : array) {
            if (left <= 0) {
                copy.add("... [" + (array.size() - index) + " more items]");
                break;
            }
            copy.add(copy(item, depth + 1));
            left -= 1;
            index++;
        }
        return copy;
    }

    private ObjectNode copyObject(JsonNode object, int depth) {
        ObjectNode copy = Json.object();
        int index = 0;
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (left <= 0) {
                copy.put("...", "[" + (object.size() - index) + " more fields]");
                break;
            }
            String key = cut(field.getKey(), Math.max(1, left));
            left -= key.length() + 4;
            copy.set(key, copy(field.getValue(), depth + 1));
            index++;
        }
        return copy;
    }
}
