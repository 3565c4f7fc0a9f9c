package dev.spindle.core.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One mapping of a configuration being read, with its key path ({@code generation.tools},
 * {@code verifier[2]}). Every accessor records the key as known, checks its type and range, and reports a
 * problem with the key's path and line, so a wrong value never silently becomes a default; keys no
 * accessor read are then warned about ({@link #reportUnknown}) or refused ({@link #refuseUnknown}).
 */
public final class ConfigNode {
    private final String path;
    private final JsonPointer pointer;
    private final JsonNode node;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    ConfigNode(String path, JsonPointer pointer, JsonNode node, Problems problems) {
        this.path = path;
        this.pointer = pointer;
        this.node = node;
        this.problems = problems;
        if (!node.isMissingNode() && !node.isNull() && !node.isObject()) {
            problems.error(path, pointer, "must be a mapping, not " + kind(node));
        }
    }

    public String path() {
        return path;
    }

    public String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Absent or null: nothing was given here. */
    public boolean isEmpty() {
        return node.isMissingNode() || node.isNull();
    }

    public boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    /** The value as given (missing when absent); the key counts as known. */
    public JsonNode raw(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value == null ? MissingNode.getInstance() : value;
    }

    /** Keys this mapping takes that the caller checks itself, so they are not reported as unknown. */
    public void expect(Collection<String> keys) {
        known.addAll(keys);
    }

    public ConfigNode section(String key) {
        return new ConfigNode(path(key), pointer.appendProperty(key), raw(key), problems);
    }

    /** A list's entries as given; absent or null is an empty list. */
    public List<JsonNode> list(String key) {
        JsonNode value = raw(key);
        List<JsonNode> out = new ArrayList<>();
        if (value.isMissingNode() || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            error(key, "must be a list, not " + kind(value));
            return out;
        }
        value.forEach(out::add);
        return out;
    }

    /** A list of mappings, each read as a node of its own ({@code verifier[0]}...). */
    public List<ConfigNode> items(String key) {
        List<JsonNode> entries = list(key);
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            items.add(new ConfigNode(path(key) + "[" + i + "]", pointer.appendProperty(key).appendIndex(i), entries.get(i), problems));
        }
        return items;
    }

    public String string(String key, String fallback) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isValueNode() || value.isBinary()) {
            error(key, "must be text, not " + kind(value));
            return fallback;
        }
        return value.asString();
    }

    public String requiredString(String key) {
        String value = string(key, null);
        if (value == null || value.isBlank()) {
            error(key, "is required");
        }
        return value;
    }

    public String choice(String key, String fallback, Set<String> allowed) {
        String value = string(key, fallback);
        if (value != null && !allowed.contains(value)) {
            error(key, "must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
            return fallback;
        }
        return value;
    }

    public int integer(String key, int fallback, int min, int max) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            error(key, "must be a whole number from " + min + " to " + max + ", not " + render(value));
            return fallback;
        }
        return value.asInt();
    }

    public Double number(String key, double min, double max) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            error(key, "must be a number from " + min + " to " + max + ", not " + render(value));
            return null;
        }
        return value.asDouble();
    }

    public boolean bool(String key, boolean fallback) {
        JsonNode value = raw(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            error(key, "must be true or false, not " + render(value));
            return fallback;
        }
        return value.asBoolean();
    }

    public List<String> strings(String key) {
        JsonNode value = raw(key);
        List<String> out = new ArrayList<>();
        if (value.isMissingNode()) {
            return out;
        }
        if (!value.isArray()) {
            error(key, "must be a list of names, not " + kind(value));
            return out;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isString() && !item.stringValue().isBlank()) {
                out.add(item.stringValue());
            } else {
                error(key, i, "must be a name, not " + render(item));
            }
        }
        return out;
    }

    /** A mapping of text to text ({@code files: {path: content}}). */
    public Map<String, String> texts(String key) {
        JsonNode value = raw(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (value.isMissingNode() || value.isNull()) {
            return out;
        }
        if (!value.isObject()) {
            error(key, "must be a mapping of path to text, not " + kind(value));
            return out;
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (entry.getValue().isString()) {
                out.put(entry.getKey(), entry.getValue().stringValue());
            } else {
                problems.error(path(key) + "." + entry.getKey(), pointer.appendProperty(key).appendProperty(entry.getKey()),
                        "must be text (the file's content), not " + kind(entry.getValue()));
            }
        }
        return out;
    }

    public ObjectNode object() {
        return node instanceof ObjectNode o ? o : null;
    }

    /** A problem with this mapping as a whole. */
    public void error(String message) {
        problems.error(path, pointer, message);
    }

    public void error(String key, String message) {
        problems.error(path(key), pointer.appendProperty(key), message);
    }

    /** A problem with entry {@code index} of list {@code key}. */
    public void error(String key, int index, String message) {
        problems.error(path(key) + "[" + index + "]", pointer.appendProperty(key).appendIndex(index), message);
    }

    public void warn(String key, String message) {
        problems.warn(path(key), pointer.appendProperty(key), message);
    }

    /** Keys present here that no accessor read: warnings, with a reason where one is known or a hint where one helps. */
    public void reportUnknown(Map<String, String> ignoredWithReason) {
        for (String key : unknown()) {
            String reason = ignoredWithReason.get(key);
            String hint = problems.hint(key, known);
            warn(key, reason != null ? "ignored: " + reason : "unknown key, ignored" + (hint.isEmpty() ? "" : "; " + hint));
        }
    }

    /**
     * Keys present here that no accessor read (nor {@link #expect}ed): errors naming the keys this mapping
     * takes, or the reason given for one; true when there was one.
     */
    public boolean refuseUnknown(Map<String, String> reasons) {
        List<String> unknown = unknown();
        for (String key : unknown) {
            String reason = reasons.get(key);
            String hint = problems.hint(key, known);
            problems.error(path, pointer.appendProperty(key), "unknown key '" + key + "'; " + (reason != null ? reason
                    : (hint.isEmpty() ? "" : hint + " ") + "known keys: " + String.join(", ", new TreeSet<>(known))));
        }
        return !unknown.isEmpty();
    }

    private List<String> unknown() {
        return node instanceof ObjectNode object ? object.propertyNames().stream().filter(key -> !known.contains(key)).toList() : List.of();
    }

    public static String kind(JsonNode value) {
        return value.isObject() ? "a mapping" : value.isArray() ? "a list" : value.isString() ? "text" : value.isNumber() ? "a number"
                : value.isBoolean() ? "a boolean" : value.isNull() ? "null" : value.getNodeType().toString().toLowerCase();
    }

    private static String render(JsonNode value) {
        return value.isValueNode() ? value.isString() ? "'" + value.asString() + "'" : value.asString() : kind(value);
    }
}
