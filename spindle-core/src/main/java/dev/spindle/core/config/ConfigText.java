package dev.spindle.core.config;

import dev.spindle.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A YAML configuration text, parsed for strict reading: its tree, and the line where each key and list
 * item starts (Jackson's trees keep no locations, so the text is streamed once more to note them). A text
 * that is not YAML, or holds a number JSON cannot (YAML's {@code .inf}), is a {@link ConfigException}
 * naming the line.
 */
public final class ConfigText {
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final JsonNode tree;
    private final Map<String, Integer> lines;

    private ConfigText(JsonNode tree, Map<String, Integer> lines) {
        this.tree = tree;
        this.lines = lines;
    }

    /** The file's text parsed; problems name the file. */
    public static ConfigText read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot be read: " + e.getMessage()));
        }
        return parse(text, file.toString());
    }

    public static ConfigText parse(String text, String source) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = YAML.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                int line = parser.currentTokenLocation().getLineNr();
                lines.putIfAbsent(parser.streamReadContext().pathAsPointer().toString(), line);
                if (token.isNumeric()) {
                    number(parser, line, source);
                }
            }
            JsonNode tree = YAML.readTree(text);
            return new ConfigText(tree == null ? MissingNode.getInstance() : tree, lines);
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
            throw new ConfigException(source, List.of((line < 1 ? "" : "line " + line + ": ") + "is not valid YAML: " + message));
        }
    }

    /** A tree given as JSON (a request body, a test): read as strictly, without lines. */
    public static ConfigText of(JsonNode tree) {
        return new ConfigText(tree == null ? MissingNode.getInstance() : tree, Map.of());
    }

    /** YAML's {@code .inf} and {@code .nan} are numbers no JSON value can hold: refused where they stand. */
    private static void number(JsonParser parser, int line, String source) {
        try {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT && !Double.isFinite(parser.getDoubleValue())) {
                throw new NumberFormatException();
            }
        } catch (JacksonException | NumberFormatException notJson) {
            throw new ConfigException(source, List.of("line " + line + ": " + path(parser.streamReadContext())
                    + ": '" + parser.getString() + "' is not a number JSON can hold (no infinity or NaN)"));
        }
    }

    /** {@code verifier[0].value}: the key path as problems write it. */
    private static String path(TokenStreamContext context) {
        if (context == null || context.inRoot()) {
            return "";
        }
        String parent = path(context.getParent());
        if (context.inArray()) {
            return parent + "[" + Math.max(0, context.getCurrentIndex()) + "]";
        }
        return parent.isEmpty() ? context.currentName() : parent + "." + context.currentName();
    }

    public JsonNode tree() {
        return tree;
    }

    /** The line of {@code at}, or of its nearest ancestor that has one (a missing key: where its mapping is); -1 for none. */
    int line(JsonPointer at) {
        for (JsonPointer pointer = at; pointer != null && !pointer.matches(); pointer = pointer.head()) {
            Integer line = lines.get(pointer.toString());
            if (line != null) {
                return line;
            }
        }
        return -1;
    }
}
