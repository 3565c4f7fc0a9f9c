package dev.spindle.mcp;

import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One incoming JSON-RPC 2.0 message, checked before the SDK sees it so that a malformed message gets
 * the JSON-RPC error the specification names (never an exception's text): not JSON is -32700, a
 * message that is not a valid request object is -32600.
 */
public record JsonRpc(JsonNode id, String method, JsonNode params) {
    /** A message that cannot be answered normally: the error to send back instead. */
    public static final class Failure extends RuntimeException {
        private final transient JsonNode id;
        private final int code;

        public Failure(JsonNode id, int code, String message) {
            super(message, null, false, false);
            this.id = id;
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The JSON-RPC error response. */
        public String body() {
            ObjectNode error = Json.object().put("jsonrpc", McpSchema.JSONRPC_VERSION);
            error.set("id", id == null ? Json.object().nullNode() : id);
            error.putObject("error").put("code", code).put("message", getMessage());
            return Json.write(error);
        }
    }

    /** Parses and checks one message; {@link Failure} when it is not a valid JSON-RPC 2.0 message. */
    public static JsonRpc parse(String text) {
        JsonNode json;
        try {
            json = Json.parse(text);
        } catch (SpindleException e) {
            throw new Failure(null, McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: " + e.getMessage());
        }
        if (json == null || json.isMissingNode()) {
            throw new Failure(null, McpSchema.ErrorCodes.PARSE_ERROR, "Parse error: the body is empty");
        }
        if (json.isArray()) {
            throw invalid(null, "Batches are not supported: send one JSON-RPC message per request");
        }
        if (!json.isObject()) {
            throw invalid(null, "A JSON-RPC message must be a JSON object");
        }
        JsonNode id = json.get("id");
        if (id != null && !id.isString() && !(id.isIntegralNumber() && id.canConvertToLong())) {
            throw invalid(null, "id must be a string or an integer");
        }
        if (!McpSchema.JSONRPC_VERSION.equals(json.path("jsonrpc").asString(null))) {
            throw invalid(id, "jsonrpc must be \"2.0\"");
        }
        JsonNode method = json.get("method");
        if (method != null && (!method.isString() || method.stringValue().isBlank())) {
            throw invalid(id, "method must be a non-empty string");
        }
        if (method == null && !(id != null && (json.has("result") || json.has("error")))) {
            throw invalid(id, "method is required (or result/error with an id for a response)");
        }
        JsonNode params = json.get("params");
        if (params != null && !params.isNull() && !params.isContainer()) {
            throw invalid(id, "params must be an object");
        }
        return new JsonRpc(id, method == null ? null : method.stringValue(), params == null || params.isNull() ? null : params);
    }

    private static Failure invalid(JsonNode id, String message) {
        return new Failure(id, McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid request: " + message);
    }

    /** An error answering this message. */
    public Failure error(int code, String message) {
        return new Failure(id, code, message);
    }

    public boolean isRequest() {
        return method != null && id != null;
    }

    public boolean isNotification() {
        return method != null && id == null;
    }

    public boolean isInitialize() {
        return isRequest() && method.equals(McpSchema.METHOD_INITIALIZE);
    }

    /** The id as the SDK's message types take it. */
    Object sdkId() {
        return id.isString() ? id.stringValue() : (Object) id.longValue();
    }
}
