package dev.spindle.mock;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills {@code {{name}}} and {@code {{a.b}}} / {@code {{items[0]}}} placeholders in the string leaves of
 * a response template with the call's arguments. A string that is exactly one placeholder becomes the
 * argument's JSON value (so {@code "{{count}}"} stays a number); inside longer text a value is written
 * raw (strings) or as compact JSON. One pass: substituted text is never expanded again, and a
 * placeholder that names no argument (or an index past the end of an array) stays as it is.
 *
 * <p>A template repeating a large argument could grow without bound, so the answer's size in JSON
 * characters is counted while it is built, and rendering stops with {@code QuotaExceeded} as soon as it
 * passes the limit.
 */
final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_$][\\w$-]*(?:\\.[\\w$-]+|\\[\\d+])*)\\s*}}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String tool;
    private final JsonNode arguments;
    private final long limit;
    private long written;

    private Template(String tool, JsonNode arguments, long limit) {
        this.tool = tool;
        this.arguments = arguments;
        this.limit = limit;
    }

    /** The template filled from {@code arguments}; {@code QuotaExceeded} past {@code limit} characters of JSON. */
    static JsonNode fill(JsonNode template, JsonNode arguments, String tool, long limit) {
        return template == null ? null : new Template(tool, arguments, limit).fill(template);
    }

    private JsonNode fill(JsonNode template) {
        if (template.isString()) {
            return fillString(template.stringValue());
        }
        if (template.isObject()) {
            ObjectNode filled = NODES.objectNode();
            spend(2);
            for (Map.Entry<String, JsonNode> field : template.properties()) {
                spend(field.getKey().length() + 4);
                filled.set(field.getKey(), fill(field.getValue()));
            }
            return filled;
        }
        if (template.isArray()) {
            ArrayNode filled = NODES.arrayNode();
            spend(2);
            for (JsonNode item : template) {
                spend(1);
                filled.add(fill(item));
            }
            return filled;
        }
        spend(template.asString().length());
        return template;
    }

    private JsonNode fillString(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        if (m.matches()) {
            JsonNode value = resolve(m.group(1), arguments);
            if (value != null) {
                measure(value);
                return value;
            }
        }
        spend(2);
        StringBuilder out = new StringBuilder();
        int copied = 0;
        m.reset();
        while (m.find()) {
            JsonNode value = resolve(m.group(1), arguments);
            if (value == null) {
                continue;
            }
            append(out, text, copied, m.start());
            if (value.isString()) {
                append(out, value.stringValue(), 0, value.stringValue().length());
            } else {
                measure(value);
                out.append(Json.write(value));
            }
            copied = m.end();
        }
        append(out, text, copied, text.length());
        return NODES.stringNode(out.toString());
    }

    /** Appends {@code text[from, to)} once it fits. */
    private void append(StringBuilder out, String text, int from, int to) {
        spend(to - from);
        out.append(text, from, to);
    }

    /** Counts a value's JSON size, stopping as soon as it is over the limit. */
    private void measure(JsonNode value) {
        if (value.isObject()) {
            spend(2);
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                spend(field.getKey().length() + 4);
                measure(field.getValue());
            }
        } else if (value.isArray()) {
            spend(2);
            for (JsonNode item : value) {
                spend(1);
                measure(item);
            }
        } else {
            spend(value.isString() ? value.stringValue().length() + 2 : value.asString().length());
        }
    }

    private void spend(long characters) {
        written += characters;
        if (written > limit) {
            throw new SpindleException(ErrorType.QuotaExceeded, "The answer of mock tool " + tool + " would be over " + limit
                    + " characters of JSON (the server's mock response limit): its template repeats large arguments; rendering stopped there");
        }
    }

    /** {@code a.b[0].c} against the arguments; null when any step is missing or an index is past the end. */
    static JsonNode resolve(String path, JsonNode arguments) {
        JsonNode node = arguments;
        for (String step : path.replace("[", ".").replace("]", "").split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.isArray() ? item(node, step) : node.get(step);
        }
        return node;
    }

    private static JsonNode item(JsonNode array, String step) {
        if (step.isEmpty() || !step.chars().allMatch(Character::isDigit) || step.length() > 9) {
            return null;
        }
        return array.get(Integer.parseInt(step));
    }
}
