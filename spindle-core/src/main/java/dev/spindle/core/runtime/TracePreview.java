package dev.spindle.core.runtime;

import dev.spindle.core.Json;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * A bounded copy of a JSON value for the trace, whatever its shape: strings, arrays and objects are cut
 * once about {@code budget} bytes of JSON have been kept, and nesting past {@value #MAX_DEPTH} levels is
 * replaced, each cut marked with what was left out. {@link #size()} is the kept part's approximate size
 * as UTF-8 JSON, which the trace counts against its per-session budget.
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

    /** What the text weighs as a JSON string in UTF-8, quotes and escapes included. */
    static int jsonBytes(String text) {
        int bytes = 2;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20) {
                bytes += "\n\r\t\b\f".indexOf(c) >= 0 ? 2 : 6; // \\n or \\u0001
            } else if (c == '"' || c == '\\') {
                bytes += 2;
            } else {
                bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            }
        }
        return bytes;
    }

    private JsonNode copy(JsonNode node, int depth) {
        if (node.isString()) {
            String text = node.stringValue();
            int room = Math.max(0, left);
            JsonNode kept = text.length() <= room ? node : StringNode.valueOf(cut(text, room));
            left -= jsonBytes(kept.stringValue());
            return kept;
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
            left -= jsonBytes(key) + 2;
            copy.set(key, copy(field.getValue(), depth + 1));
            index++;
        }
        return copy;
    }
}
