package dev.spindle.core;

import java.util.Collection;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * The outcome of one tool call. {@code value} is the tool's answer as JSON (a string for the VFS
 * tools); on failure it is the error message and {@code errorType} says what kind of failure it was.
 */
public record ToolResult(boolean success, JsonNode value, FailureKind errorType) {

    public static ToolResult ok(JsonNode value) {
        return new ToolResult(true, value, null);
    }

    public static ToolResult ok(String text) {
        return ok(StringNode.valueOf(text));
    }

    public static ToolResult failure(FailureKind type, String message) {
        return new ToolResult(false, StringNode.valueOf(message), type);
    }

    public static ToolResult failure(SpindleException e) {
        return failure(e.type(), e.getMessage());
    }

    /** {@code UnknownTool}, in the wording every way of calling tools uses: {@link #unknownToolMessage}. */
    public static ToolResult unknownTool(String name, Collection<String> available) {
        return failure(ErrorType.UnknownTool, unknownToolMessage(name, available));
    }

    /** The name asked for and what can be called instead, so that a model can correct itself. */
    public static String unknownToolMessage(String name, Collection<String> available) {
        return "Unknown tool: " + name + ". Available tools: " + String.join(", ", available);
    }

    /** The result as the Spin wire carries it: always a string, structured values JSON-encoded. */
    public String result() {
        return value.isString() ? value.stringValue() : Json.write(value);
    }
}
