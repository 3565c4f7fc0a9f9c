package dev.spindle.generator.tools;

import dev.spindle.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/**
 * Tool calls a model wrote in its text instead of the provider's tool-call field, in the formats open
 * models are trained to write: Hermes/Qwen {@code <tool_call>{...}</tool_call>}, Llama 3
 * {@code <|python_tag|>} or a bare {@code {"name", "parameters"}} object, Mistral
 * {@code [TOOL_CALLS][...]} (and its {@code name[ARGS]{...}} form), or a bare JSON call. One parser for
 * {@code generate} and {@code eval}, so data is made and graded from replies read the same way. Only
 * {@code indexOf} scans and Jackson: no regular expression a hostile reply could make slow.
 */
public final class TextToolCalls {
    /** Which written forms count as calls; {@code NATIVE} reads none (only the provider's field). */
    public enum Format {
        AUTO, NATIVE, HERMES, LLAMA, MISTRAL, JSON;

        public static Format parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown tool call format '" + text + "' (known: auto, native, hermes, llama, mistral, json)");
            }
        }
    }

    /** One call as written: the tool's name and its arguments as JSON text (the model's, unchanged when it wrote a string). */
    public record Call(String name, String arguments) {}

    /** What a reply holds: no call (an answer), calls with the text before them, or a call that cannot be read. */
    public sealed interface Reading permits Answer, Calls, Malformed {}

    public record Answer() implements Reading {}

    public record Calls(String thought, List<Call> calls) implements Reading {}

    public record Malformed(String reason) implements Reading {}

    /** Reads one value and stops there, so that the next call (or a {@code ;}) may follow it. */
    private static final ObjectReader ONE_VALUE = Json.MAPPER.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String HERMES_OPEN = "<tool_call>";
    private static final String HERMES_CLOSE = "</tool_call>";
    private static final String PYTHON_TAG = "<|python_tag|>";
    private static final String MISTRAL_CALLS = "[TOOL_CALLS]";
    private static final String MISTRAL_ARGS = "[ARGS]";

    private TextToolCalls() {}

    public static Reading read(String text, Format format) {
        if (text == null || text.isBlank() || format == Format.NATIVE) {
            return new Answer();
        }
        String body = text.strip();
        try {
            return switch (format) {
                case HERMES -> hermes(body);
                case LLAMA -> body.contains(PYTHON_TAG) ? llama(body) : bare(body, true);
                case MISTRAL -> mistral(body);
                case JSON -> bare(body, true);
                default -> body.contains(HERMES_OPEN) ? hermes(body) : body.contains(MISTRAL_CALLS) ? mistral(body)
                        : body.contains(PYTHON_TAG) ? llama(body) : bare(body, false);
            };
        } catch (MalformedCall e) {
            return new Malformed(e.getMessage());
        }
    }

    private static Reading hermes(String body) {
        int at = body.indexOf(HERMES_OPEN);
        if (at < 0) {
            return new Answer();
        }
        List<Call> calls = new ArrayList<>();
        while (at >= 0) {
            int start = at + HERMES_OPEN.length();
            int end = body.indexOf(HERMES_CLOSE, start);
            int next = body.indexOf(HERMES_OPEN, start);
            int stop = end >= 0 ? end : next >= 0 ? next : body.length(); // Qwen may leave the last tag open
            calls.add(call(body.substring(start, stop)));
            at = next;
        }
        return new Calls(body.substring(0, body.indexOf(HERMES_OPEN)).strip(), calls);
    }

    private static Reading llama(String body) {
        int at = body.indexOf(PYTHON_TAG);
        String rest = body.substring(at + PYTHON_TAG.length());
        for (String end : List.of("<|eom_id|>", "<|eot_id|>")) {
            int stop = rest.indexOf(end);
            rest = stop >= 0 ? rest.substring(0, stop) : rest;
        }
        List<Call> calls = values(rest).stream().map(TextToolCalls::call).toList();
        if (calls.isEmpty()) {
            throw new MalformedCall("nothing follows <|python_tag|>");
        }
        return new Calls(body.substring(0, at).strip(), calls);
    }

    private static Reading mistral(String body) {
        int at = body.indexOf(MISTRAL_CALLS);
        if (at < 0) {
            return new Answer();
        }
        String rest = body.substring(at + MISTRAL_CALLS.length()).strip();
        List<Call> calls = new ArrayList<>();
        if (rest.startsWith("[")) {
            JsonNode list = json(rest);
            if (!list.isArray() || list.isEmpty()) {
                throw new MalformedCall("[TOOL_CALLS] must be followed by a list of calls");
            }
            list.forEach(item -> calls.add(call(item)));
        } else {
            for (String part : rest.split("\\Q" + MISTRAL_CALLS + "\\E")) {
                int args = part.indexOf(MISTRAL_ARGS);
                if (args < 0) {
                    throw new MalformedCall("a [TOOL_CALLS] call needs a list or name[ARGS]{...}");
                }
                calls.add(new Call(name(part.substring(0, args).strip()), arguments(json(part.substring(args + MISTRAL_ARGS.length())))));
            }
        }
        return new Calls(body.substring(0, at).strip(), calls);
    }

    /** A reply that is only a JSON call (or a list of them); {@code required} makes other JSON an error rather than an answer. */
    private static Reading bare(String body, boolean required) {
        String unfenced = unfenced(body);
        if (!unfenced.startsWith("{") && !unfenced.startsWith("[")) {
            if (required) {
                throw new MalformedCall("the reply is not a JSON tool call");
            }
            return new Answer();
        }
        JsonNode node;
        try {
            node = Json.parse(unfenced);
        } catch (RuntimeException e) {
            if (required) {
                throw new MalformedCall("the tool call is not valid JSON: " + firstLine(e.getMessage()));
            }
            return new Answer();
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        boolean allCalls = !items.isEmpty() && items.stream().allMatch(TextToolCalls::looksLikeCall);
        if (!allCalls) {
            if (required) {
                throw new MalformedCall("a tool call is an object with a name and arguments (or parameters)");
            }
            return new Answer();
        }
        return new Calls("", items.stream().map(TextToolCalls::call).toList());
    }

    private static boolean looksLikeCall(JsonNode item) {
        JsonNode function = item.path("function").isObject() ? item.get("function") : item;
        return function.path("name").isString() && (function.has("arguments") || function.has("parameters"));
    }

    private static Call call(String text) {
        return call(json(text));
    }

    private static Call call(JsonNode item) {
        JsonNode function = item.path("function").isObject() ? item.get("function") : item;
        if (!function.path("name").isString()) {
            throw new MalformedCall("a tool call needs a \"name\"");
        }
        JsonNode arguments = function.has("arguments") ? function.get("arguments") : function.path("parameters");
        return new Call(name(function.get("name").stringValue()), arguments(arguments));
    }

    private static String name(String name) {
        if (name.isBlank()) {
            throw new MalformedCall("a tool call needs a name");
        }
        return name;
    }

    /** A string stays the model's own text, so a broken one reaches the tool as the model wrote it and is reported there. */
    private static String arguments(JsonNode arguments) {
        if (arguments.isMissingNode() || arguments.isNull()) {
            return "{}";
        }
        return arguments.isString() ? arguments.stringValue() : Json.write(arguments);
    }

    /** Successive JSON values, as Llama writes several calls: separated by white space or {@code ;}. */
    private static List<JsonNode> values(String text) {
        List<JsonNode> values = new ArrayList<>();
        String rest = text.strip();
        while (!rest.isEmpty()) {
            if (rest.startsWith(";")) {
                rest = rest.substring(1).strip();
                continue;
            }
            try (JsonParser parser = ONE_VALUE.createParser(rest)) {
                values.add(ONE_VALUE.readValue(parser));
                rest = rest.substring((int) parser.currentLocation().getCharOffset()).strip();
            } catch (JacksonException e) {
                throw new MalformedCall("the tool call is not valid JSON: " + firstLine(e.getOriginalMessage()));
            }
        }
        return values;
    }

    private static JsonNode json(String text) {
        try {
            return Json.parse(unfenced(text.strip()));
        } catch (RuntimeException e) {
            throw new MalformedCall("the tool call is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static String unfenced(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("```")) {
            int firstBreak = trimmed.indexOf('\n');
            trimmed = firstBreak < 0 ? "" : trimmed.substring(firstBreak + 1);
            if (trimmed.endsWith("```")) {
                trimmed = trimmed.substring(0, trimmed.length() - 3);
            }
        }
        return trimmed.strip();
    }

    private static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    private static final class MalformedCall extends RuntimeException {
        MalformedCall(String message) {
            super(message, null, false, false);
        }
    }
}
