package dev.spindle.server.openenv;

import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One message on {@code /ws}, OpenEnv's {@code {type, data}}: in, {@code reset}, {@code step}, {@code state},
 * {@code close} and {@code mcp}; out, {@code observation}, {@code state}, {@code mcp} and {@code error}.
 * Like OpenEnv's message models, a frame with a field its type does not take is refused.
 */
record Frame(String type, ObjectNode data) {
    static final String RESET = "reset";
    static final String STEP = "step";
    static final String STATE = "state";
    static final String CLOSE = "close";
    static final String MCP = "mcp";

    static Frame parse(String text) {
        JsonNode json;
        try {
            json = Json.parse(text);
        } catch (SpindleException e) { // its message is "Invalid JSON: " and the parser's reason
            throw new FrameError(ErrorCode.INVALID_JSON, e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw json == null || json.isMissingNode() ? new FrameError(ErrorCode.INVALID_JSON, "Invalid JSON: the message is empty")
                    : FrameError.invalid("Invalid message: a message is a JSON object {type, data?}");
        }
        String type = json.path("type").isString() ? json.get("type").stringValue() : "";
        boolean takesData = switch (type) {
            case RESET, STEP, MCP -> true;
            case STATE, CLOSE -> false;
            default -> throw new FrameError(ErrorCode.UNKNOWN_TYPE, "Unknown message type: " + type);
        };
        for (String field : json.propertyNames()) {
            if (!field.equals("type") && !(takesData && field.equals("data"))) {
                throw FrameError.invalid("Invalid message: " + type + " takes no field '" + field + "'");
            }
        }
        JsonNode data = json.path("data");
        if (data.isMissingNode()) {
            return takesData && !type.equals(RESET) ? invalidData(type + " needs data") : new Frame(type, Json.object());
        }
        if (!data.isObject()) {
            return invalidData("data must be an object");
        }
        return new Frame(type, (ObjectNode) data);
    }

    private static Frame invalidData(String why) {
        throw FrameError.invalid("Invalid message: " + why);
    }

    /** An outgoing frame. */
    static ObjectNode out(String type, JsonNode data) {
        ObjectNode frame = Json.object().put("type", type);
        frame.set("data", data);
        return frame;
    }

    static ObjectNode error(FrameError error) {
        return out("error", error.data);
    }
}
