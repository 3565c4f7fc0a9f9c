package dev.spindle.server.openenv;

import dev.spindle.core.Json;
import dev.spindle.env.Verdict;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What one tool call came to: the tool's answer (text and JSON value), or an OpenEnv error type and message;
 * a submit also carries the verifier's breakdown.
 */
record CallOutcome(String toolName, String text, JsonNode value, String errorType, String message, JsonNode breakdown) {
    static CallOutcome ok(String toolName, String text, JsonNode value) {
        return new CallOutcome(toolName, text, value, null, null, null);
    }

    static CallOutcome failed(String toolName, String errorType, String message) {
        return new CallOutcome(toolName, null, null, errorType, message, null);
    }

    static CallOutcome submitted(Verdict verdict) {
        ObjectNode breakdown = verdict.toJson();
        ObjectNode value = Json.object().put("reward", verdict.reward());
        value.set("breakdown", breakdown);
        return new CallOutcome(Episode.SUBMIT, "reward " + verdict.reward(), value, null, null, breakdown);
    }

    boolean failed() {
        return errorType != null;
    }

    /**
     * OpenEnv's {@code CallToolObservation}: {@code {tool_name, result, error}}, the result shaped like FastMCP's
     * {@code CallToolResult} (OpenEnv's client returns its {@code data}); a submit adds {@code breakdown}.
     */
    ObjectNode observation() {
        ObjectNode json = Json.object().put("tool_name", toolName);
        if (failed()) {
            json.putNull("result");
            json.putObject("error").put("error_type", errorType).put("message", message);
        } else {
            ObjectNode result = json.putObject("result");
            result.putArray("content").addObject().put("type", "text").put("text", text);
            result.set("data", value);
            result.put("is_error", false);
            json.putNull("error");
        }
        if (breakdown != null) {
            json.set("breakdown", breakdown);
        }
        return json;
    }

    /** MCP's {@code tools/call} result of a call that succeeded: text content, and the JSON value as {@code data}. */
    ObjectNode rpcResult() {
        ObjectNode result = Json.object();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        result.set("data", value);
        return result.put("isError", false);
    }
}
