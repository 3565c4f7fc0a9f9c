package dev.spindle.generator.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One YAML mapping being read, with its key path. Every accessor records the key as known, checks
 * its type and range, and reports problems with the full path ({@code generation.tools.max_per_query}),
 * so a wrong value never silently becomes a default.
 */
final class ConfigNode {
    private final String path;
    private final JsonNode node;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    ConfigNode(String path, JsonNode node, Problems problems) {
        this.path = path;
        this.node = node;
        this.problems = problems;
        if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
            problems.error(path, "must be a mapping, not " + kind(node));
        }
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    JsonNode raw(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value == null ? MissingNode.getInstance() : value;
    }

    ConfigNode section(String key) {
        return new ConfigNode(path(key), raw(key), problems);
    }

    String string(String key, String fallback) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isValueNode() || value.isBinary()) {
            problems.error(path(key), "must be text, not " + kind(value));
            return fallback;
        }
        return value.asString();
    }

    String requiredString(String key) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            problems.error(path(key), "is required");
        }
        return value;
    }

    String choice(String key, String fallback, Set<String> allowed) {
        String value = string(key, fallback);
        if (value != null && !allowed.contains(value)) {
            problems.error(path(key), "must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
            return fallback;
        }
        return value;
    }

    int integer(String key, int fallback, int min, int max) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            problems.error(path(key), "must be a whole number from " + min + " to " + max + ", not " + render(value));
            return fallback;
        }
        return value.asInt();
    }

    Double number(String key, double min, double max) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            problems.error(path(key), "must be a number from " + min + " to " + max + ", not " + render(value));
            return null;
        }
        return value.asDouble();
    }

    boolean bool(String key, boolean fallback) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            problems.error(path(key), "must be true or false, not " + render(value));
            return fallback;
        }
        return value.asBoolean();
    }

    List<String> strings(String key) {
        JsonNode value = raw(key);
        List<String> out = new ArrayList<>();
        if (value.isMissingNode()) {
            return out;
        }
        if (!value.isArray()) {
            problems.error(path(key), "must be a list of names, not " + kind(value));
            return out;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isString() && !item.stringValue().isBlank()) {
                out.add(item.stringValue());
            } else {
                problems.error(path(key) + "[" + i + "]", "must be a name, not " + render(item));
            }
        }
        return out;
    }

    /** A mapping of text to text ({@code scenario_seed.files}). */
    Map<String, String> texts(String key) {
        JsonNode value = raw(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (value.isMissingNode() || value.isNull()) {
            return out;
        }
        if (!value.isObject()) {
            problems.error(path(key), "must be a mapping of path to text, not " + kind(value));
            return out;
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (entry.getValue().isString()) {
                out.put(entry.getKey(), entry.getValue().stringValue());
            } else {
                problems.error(path(key) + "." + entry.getKey(), "must be text (the file's content), not " + kind(entry.getValue()));
            }
        }
        return out;
    }

    ObjectNode object() {
        return node instanceof ObjectNode o ? o : null;
    }

    /** Keys present here that no accessor read: reported as warnings, with a hint where one helps. */
    void reportUnknown(Map<String, String> ignoredWithReason) {
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        for (String key : object.propertyNames()) {
            if (known.contains(key)) {
                continue;
            }
            String reason = ignoredWithReason.get(key);
            if (reason != null) {
                problems.warn(path(key), "ignored: " + reason);
            } else {
                problems.warn(path(key), "unknown key, ignored" + problems.hint(key, known));
            }
        }
    }

    static String kind(JsonNode value) {
        return value.isObject() ? "a mapping" : value.isArray() ? "a list" : value.isString() ? "text" : value.isNumber() ? "a number"
                : value.isBoolean() ? "a boolean" : value.isNull() ? "null" : value.getNodeType().toString().toLowerCase();
    }

    private static String render(JsonNode value) {
        return value.isValueNode() ? value.isString() ? "'" + value.asString() + "'" : value.asString() : kind(value);
    }
}
