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
 * raw (strings) or as compact JSON. One pass: substituted text is never expanded again.
 *
 * <p>An argument the input schema declares but the call did not give takes the schema's {@code default}
 * there, else it renders as nothing ({@code null} for a lone placeholder): a literal {@code {{units}}}
 * would go into training data as if the tool had said it. A placeholder naming nothing the schema
 * declares (or an index past the end of an array) stays as it is: that is text, not an argument.
 *
 * <p>A template repeating a large argument could grow without bound, so the answer's size in JSON
 * characters is counted while it is built, and rendering stops with {@code QuotaExceeded} as soon as it
 * passes the limit.
 */
final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_$][\\w$-]*(?:\\.[\\w$-]+|\\[\\d+])*)\\s*}}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What a placeholder stands for: a value, an argument the call left out (no default), or no argument at all. */
    private static final JsonNode OMITTED = NODES.missingNode();

    private final String tool;
    private final JsonNode arguments;
    private final JsonNode schema;
    private final long limit;
    private long written;

    private Template(String tool, JsonNode arguments, JsonNode schema, long limit) {
        this.tool = tool;
        this.arguments = arguments;
        this.schema = schema;
        this.limit = limit;
    }

    /**
     * The template filled from {@code arguments}, with the defaults of the input {@code schema} for what they
     * leave out; {@code QuotaExceeded} past {@code limit} characters of JSON.
     */
    static JsonNode fill(JsonNode template, JsonNode arguments, JsonNode schema, String tool, long limit) {
        return template == null ? null : new Template(tool, arguments, schema, limit).fill(template);
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
            JsonNode value = lookUp(m.group(1));
            if (value == OMITTED) {
                spend(4);
                return NODES.nullNode();
            }
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
            JsonNode value = lookUp(m.group(1));
            if (value == null) {
                continue;
            }
            append(out, text, copied, m.start());
            if (value.isString()) {
                append(out, value.stringValue(), 0, value.stringValue().length());
            } else if (value != OMITTED) { // a left-out argument renders as nothing
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

    /**
     * {@code a.b[0].c} against the arguments, step by step; where the call gave nothing, the schema's
     * {@code default} at that step. {@link #OMITTED} when the path leads into a declared argument with neither,
     * null when it names nothing declared (or an index past the end of a given array).
     */
    private JsonNode lookUp(String path) {
        JsonNode node = arguments;
        JsonNode declared = schema;
        boolean leftOut = false;
        for (String step : path.replace("[", ".").replace("]", "").split("\\.")) {
            JsonNode given = node == null ? null : child(node, step);
            declared = declared == null ? null : declaredAt(declared, step);
            if (given == null && !leftOut) {
                if (declared == null || node.isArray()) {
                    return null;
                }
                leftOut = true;
            }
            node = given != null ? given : declared == null ? null : declared.get("default");
        }
        return node == null ? OMITTED : node;
    }

    /** The schema of {@code step} (a property, or an item of an array) inside {@code declared}; null when it declares none. */
    private JsonNode declaredAt(JsonNode declared, String step) {
        JsonNode own = followRef(declared);
        JsonNode property = own.path("properties").get(step);
        if (property != null) {
            return followRef(property);
        }
        return step.chars().allMatch(Character::isDigit) && own.path("items").isObject() ? followRef(own.get("items")) : null;
    }

    /** A local {@code $ref} ({@code #/$defs/units}) followed to what it names, a few hops at most (refs may loop). */
    private JsonNode followRef(JsonNode node) {
        for (int hops = 0; hops < 8 && node.path("$ref").asString("").matches("#(/.*)?"); hops++) {
            JsonNode target = schema.at(node.get("$ref").stringValue().substring(1));
            if (target.isMissingNode()) {
                break;
            }
            node = target;
        }
        return node;
    }

    private static JsonNode child(JsonNode node, String step) {
        return node.isArray() ? item(node, step) : node.get(step);
    }

    private static JsonNode item(JsonNode array, String step) {
        if (step.isEmpty() || !step.chars().allMatch(Character::isDigit) || step.length() > 9) {
            return null;
        }
        return array.get(Integer.parseInt(step));
    }
}
