package dev.spindle.cli.docs;

import dev.spindle.core.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * An answer as a doc shows it: JSON in which {@code ...} stands for what varies or is left out.
 * <ul>
 *   <li>{@code "..."} (a whole string) is any value;</li>
 *   <li>{@code ...} inside a string is any text ({@code "sqlite:/.../.spindle/state.db"});</li>
 *   <li>{@code ...} as a member of an object allows members not shown ({@code {"id":1, ...}}); without it the
 *       members must be exactly those shown;</li>
 *   <li>{@code ...} as an element of an array is any number of elements ({@code [{"name":"a"}, ...]}).</li>
 * </ul>
 * Numbers compare by value ({@code 1} equals {@code 1.0}); everything else exactly.
 */
final class JsonPattern {
    /** What a bare {@code ...} becomes before parsing: a string no answer contains. */
    private static final String ELLIPSIS = "\u0000...";
    private static final String ELLIPSIS_JSON = "\"\\u0000...\"";

    private final JsonNode expected;
    /** Text after the JSON value on the doc's line, such as {@code (HTTP 404)}. */
    final String trailing;

    private JsonPattern(JsonNode expected, String trailing) {
        this.expected = expected;
        this.trailing = trailing;
    }

    /** Parses the pattern at the start of {@code text}; the rest of the text is kept as {@link #trailing}. */
    static JsonPattern parse(String text) {
        StringBuilder json = new StringBuilder();
        List<Character> open = new ArrayList<>();
        boolean inString = false;
        boolean keyExpected = false;
        int i = 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                json.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    json.append(text.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (text.startsWith("...", i)) {
                json.append(keyExpected ? ELLIPSIS_JSON + ":null" : ELLIPSIS_JSON);
                i += 2;
                continue;
            }
            json.append(c);
            switch (c) {
                case '"' -> inString = true;
                case '{' -> { open.add('{'); keyExpected = true; }
                case '[' -> open.add('[');
                case '}', ']' -> open.removeLast();
                case ',' -> keyExpected = !open.isEmpty() && open.getLast() == '{';
                default -> { }
            }
            if (c != ',' && c != '{' && !Character.isWhitespace(c)) {
                keyExpected = false;
            }
            if (open.isEmpty() && (c == '}' || c == ']')) {
                break;
            }
        }
        if (!open.isEmpty() || json.isEmpty()) {
            throw new IllegalArgumentException("not a complete JSON answer: " + text);
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(json.toString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not JSON (with ... for what varies): " + text + " (" + e.getMessage() + ")", e);
        }
        return new JsonPattern(parsed, text.substring(Math.min(i + 1, text.length())).strip());
    }

    /** Where {@code actual} departs from the pattern, or empty when it matches. */
    Optional<String> mismatch(JsonNode actual) {
        return mismatch(expected, actual, "");
    }

    private static Optional<String> mismatch(JsonNode expected, JsonNode actual, String at) {
        if (expected.isString() && expected.stringValue().equals("...") || isEllipsis(expected)) {
            return Optional.empty();
        }
        if (expected.isString() && expected.stringValue().contains("...")) {
            return actual.isString() && glob(expected.stringValue()).matcher(actual.stringValue()).matches() ? Optional.empty()
                    : differs(at, expected, actual);
        }
        if (expected.isObject()) {
            return actual.isObject() ? objectMismatch(expected, actual, at) : differs(at, expected, actual);
        }
        if (expected.isArray()) {
            return actual.isArray() && elementsMatch(list(expected), 0, list(actual), 0, at) ? Optional.empty() : differs(at, expected, actual);
        }
        if (expected.isNumber()) {
            return actual.isNumber() && expected.decimalValue().compareTo(actual.decimalValue()) == 0 ? Optional.empty() : differs(at, expected, actual);
        }
        return expected.equals(actual) ? Optional.empty() : differs(at, expected, actual);
    }

    private static Optional<String> objectMismatch(JsonNode expected, JsonNode actual, String at) {
        boolean more = false;
        for (Map.Entry<String, JsonNode> member : expected.properties()) {
            if (member.getKey().equals(ELLIPSIS)) {
                more = true;
                continue;
            }
            JsonNode value = actual.get(member.getKey());
            if (value == null) {
                return Optional.of(at + "/" + member.getKey() + ": missing in " + excerpt(actual));
            }
            Optional<String> inner = mismatch(member.getValue(), value, at + "/" + member.getKey());
            if (inner.isPresent()) {
                return inner;
            }
        }
        if (!more) {
            for (Iterator<String> names = actual.propertyNames().iterator(); names.hasNext(); ) {
                String name = names.next();
                if (!expected.has(name)) {
                    return Optional.of(at + "/" + name + ": not shown in the doc (add it, or ... for more members): " + excerpt(actual));
                }
            }
        }
        return Optional.empty();
    }

    /** Element by element, a {@code ...} element standing for any number of them. */
    private static boolean elementsMatch(List<JsonNode> expected, int e, List<JsonNode> actual, int a, String at) {
        if (e == expected.size()) {
            return a == actual.size();
        }
        if (isEllipsis(expected.get(e))) {
            for (int skip = a; skip <= actual.size(); skip++) {
                if (elementsMatch(expected, e + 1, actual, skip, at)) {
                    return true;
                }
            }
            return false;
        }
        return a < actual.size() && mismatch(expected.get(e), actual.get(a), at + "/" + a).isEmpty()
                && elementsMatch(expected, e + 1, actual, a + 1, at);
    }

    private static boolean isEllipsis(JsonNode node) {
        return node.isString() && node.stringValue().equals(ELLIPSIS);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        return elements;
    }

    private static Pattern glob(String text) {
        StringBuilder regex = new StringBuilder();
        String[] parts = text.split("\\.\\.\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            regex.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static Optional<String> differs(String at, JsonNode expected, JsonNode actual) {
        return Optional.of((at.isEmpty() ? "the answer" : at) + ": the doc shows " + shown(excerpt(expected))
                + " but the server answered " + excerpt(actual));
    }

    private static String excerpt(JsonNode node) {
        String text = Json.write(node);
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** JSON text with the ellipses back as the doc wrote them. */
    private static String shown(String json) {
        return json.replace(ELLIPSIS_JSON + ":null", "...").replace(ELLIPSIS_JSON, "...");
    }

    @Override
    public String toString() {
        return shown(Json.write(expected));
    }
}
