package dev.spindle.server.openenv;

import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.mcp.JsonRpc;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenEnv's JSON-RPC over episodes: on {@code POST /mcp}, {@code openenv/session/create} (a slot and a bare or
 * task episode: the params take a reset's {@code seed}, {@code episode_id} and {@code task}),
 * {@code openenv/session/close {session_id}}, and {@code tools/list} and {@code tools/call} that name a
 * {@code session_id}; in a socket's {@code mcp} frame, {@code tools/list} and {@code tools/call} on its episode.
 * A call is a step: it counts, obeys the task's tools and budget, and {@code submit} ends the episode.
 */
final class EnvRpc {
    private static final Logger LOG = Logger.getLogger(EnvRpc.class.getName());
    static final String CREATE = "openenv/session/create";
    static final String CLOSE = "openenv/session/close";
    private static final String LIST = "tools/list";
    private static final String CALL = "tools/call";
    private static final int INVALID_REQUEST = -32600;
    private static final int METHOD_NOT_FOUND = -32601;
    private static final int INVALID_PARAMS = -32602;
    private static final int INTERNAL_ERROR = -32603;
    private static final int SERVER_ERROR = -32000;

    private final Episodes episodes;

    EnvRpc(Episodes episodes) {
        this.episodes = episodes;
    }

    /** A request {@code POST /mcp} passes here rather than to MCP: an {@code openenv/} method, or a tool method naming a session. */
    static boolean handles(JsonRpc message) {
        return message.isRequest() && (message.method().startsWith("openenv/")
                || (message.method().equals(LIST) || message.method().equals(CALL)) && message.params() != null && message.params().has("session_id"));
    }

    /** The answer to a {@code POST /mcp} request that {@link #handles} takes; may block. */
    String answer(JsonRpc message) {
        return Json.write(respond(message, () -> {
            JsonNode params = params(message);
            return switch (message.method()) {
                case CREATE -> create(params);
                case CLOSE -> {
                    Episodes.Slot slot = session(params);
                    episodes.release(slot);
                    yield Json.object().put("session_id", slot.id).put("closed", true);
                }
                case LIST, CALL -> {
                    Episodes.Slot slot = session(params);
                    try {
                        yield tools(message, params, current(slot));
                    } catch (FrameError e) {
                        if (e.code.endsSession) { // its Spindle session is gone: so is the OpenEnv one
                            episodes.release(slot);
                        }
                        throw e;
                    }
                }
                default -> throw new Failure(METHOD_NOT_FOUND, "Method not found: " + message.method(), null);
            };
        }));
    }

    /** The answer to a socket's {@code mcp} frame, for its episode; may block. */
    ObjectNode answer(JsonNode data, Episode episode) {
        JsonRpc message;
        try {
            message = JsonRpc.parse(Json.write(data));
        } catch (JsonRpc.Failure invalid) {
            return (ObjectNode) Json.parse(invalid.body());
        }
        return respond(message, () -> switch (message.method()) {
            case LIST, CALL -> tools(message, params(message), episode);
            default -> throw new Failure(METHOD_NOT_FOUND, "Method not found: " + message.method(), null);
        });
    }

    private ObjectNode create(JsonNode params) {
        Episodes.Slot slot;
        try {
            slot = episodes.acquire(null);
        } catch (FrameError full) {
            throw new Failure(SERVER_ERROR, full.getMessage(), Json.object().put("active_sessions", full.data.path("active_sessions").asInt())
                    .put("max_sessions", full.data.path("max_sessions").asInt()));
        }
        try {
            episodes.reset(slot, ResetRequest.parse(params));
        } catch (RuntimeException | Error e) { // the slot is given back whatever kept the episode from opening
            episodes.release(slot);
            throw e;
        }
        return Json.object().put("session_id", slot.id);
    }

    private Episodes.Slot session(JsonNode params) {
        JsonNode id = params.path("session_id");
        if (!id.isString() || id.stringValue().isEmpty()) {
            throw new Failure(INVALID_PARAMS, "Invalid params - 'session_id' is required", null);
        }
        Episodes.Slot slot = episodes.session(id.stringValue());
        if (slot == null) {
            throw new Failure(INVALID_PARAMS, "Unknown session_id: " + id.stringValue(), null);
        }
        return slot;
    }

    private static Episode current(Episodes.Slot slot) {
        Episode episode = slot.episode();
        if (episode == null) {
            throw new Failure(INVALID_PARAMS, "Unknown session_id: " + slot.id, null);
        }
        return episode;
    }

    private static JsonNode tools(JsonRpc message, JsonNode params, Episode episode) {
        if (message.method().equals(LIST)) {
            return episode.listing("inputSchema");
        }
        JsonNode name = params.path("name");
        if (!name.isString() || name.stringValue().isEmpty()) {
            throw new Failure(INVALID_PARAMS, "Missing 'name' in params", null);
        }
        JsonNode arguments = params.path("arguments");
        if (!arguments.isMissingNode() && !arguments.isNull() && !arguments.isObject()) {
            throw new Failure(INVALID_PARAMS, "Invalid params: arguments must be an object", null);
        }
        CallOutcome outcome = episode.call(name.stringValue(), arguments instanceof ObjectNode object ? object : Json.object());
        if (ToolErrorTypes.NOT_FOUND.equals(outcome.errorType())) {
            throw new Failure(INVALID_PARAMS, outcome.message(), null);
        }
        if (outcome.failed()) {
            // OpenEnv's server answers a failed tool with a JSON-RPC error, and its MCPToolClient raises only on
            // one: an isError result would reach the agent as if it were the tool's value.
            throw new Failure(INTERNAL_ERROR, outcome.message(), Json.object().put("error_type", outcome.errorType()));
        }
        return outcome.rpcResult();
    }

    private static JsonNode params(JsonRpc message) {
        JsonNode params = message.params();
        if (params != null && !params.isObject()) {
            throw new Failure(INVALID_PARAMS, "Params must be an object", null);
        }
        return params == null ? Json.object() : params;
    }

    /** A JSON-RPC error to answer. */
    private static final class Failure extends RuntimeException {
        final int code;
        final JsonNode data;

        Failure(int code, String message, JsonNode data) {
            super(message, null, false, false);
            this.code = code;
            this.data = data;
        }
    }

    private static ObjectNode respond(JsonRpc message, java.util.function.Supplier<JsonNode> result) {
        ObjectNode response = Json.object().put("jsonrpc", "2.0");
        response.set("id", message.id());
        try {
            response.set("result", result.get());
        } catch (Failure f) {
            error(response, f.code, f.getMessage(), f.data);
        } catch (FrameError e) {
            error(response, e.code == ErrorCode.VALIDATION_ERROR ? INVALID_PARAMS : INVALID_REQUEST, e.getMessage(), null);
        } catch (SpindleException e) {
            error(response, e.type().httpStatus() < 500 ? INVALID_PARAMS : INTERNAL_ERROR, e.type().name() + ": " + e.getMessage(), null);
        } catch (Throwable e) { // an Error too: a bug, but the request is answered
            LOG.log(Level.WARNING, "event=openenv_rpc_failed method=" + message.method(), e);
            error(response, INTERNAL_ERROR, "Internal error; the request was not completed", null);
        }
        return response;
    }

    private static void error(ObjectNode response, int code, String message, JsonNode data) {
        ObjectNode error = response.putObject("error").put("code", code).put("message", message);
        if (data != null) {
            error.set("data", data);
        }
    }
}
