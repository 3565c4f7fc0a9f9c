package dev.spindle.mock;

import dev.spindle.core.Json;
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
 * placeholder that names no argument stays as it is.
 */
final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_$][\\w$-]*(?:\\.[\\w$-]+|\\[\\d+])*)\\s*}}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Template() {}

    static JsonNode fill(JsonNode template, JsonNode arguments) {
        if (template == null) {
            return null;
        }
        if (template.isString()) {
            return fillString(template.stringValue(), arguments);
        }
        if (template.isObject()) {
            ObjectNode filled = NODES.objectNode();
            for (Map.Entry<String, JsonNode> field : template.properties()) {
                filled.set(field.getKey(), fill(field.getValue(), arguments));
            }
            return filled;
        }
        if (template.isArray()) {
            ArrayNode filled = NODES.arrayNode();
            template.forEach(item -> filled.add(fill(item, arguments)));
            return filled;
        }
        return template;
    }

    private static JsonNode fillString(String text, JsonNode arguments) {
        Matcher m = PLACEHOLDER.matcher(text);
        if (m.matches()) {
            JsonNode value = resolve(m.group(1), arguments);
            return value == null ? NODES.stringNode(text) : value;
        }
        StringBuilder out = new StringBuilder();
        m.reset();
        while (m.find()) {
            JsonNode value = resolve(m.group(1), arguments);
            String replacement = value == null ? m.group() : value.isString() ? value.stringValue() : Json.write(value);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return NODES.stringNode(out.toString());
    }

    /** {@code a.b[0].c} against the arguments; null when any step is missing. */
    static JsonNode resolve(String path, JsonNode arguments) {
        JsonNode node = arguments;
        for (String step : path.replace("[", ".").replace("]", "").split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.isArray() && step.chars().allMatch(Character::isDigit) ? node.get(Integer.parseInt(step)) : node.get(step);
        }
        return node;
    }
}
