package dev.spindle.server.openenv;

import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import tools.jackson.databind.node.ObjectNode;

/** A frame that gets an {@code error} frame back: OpenEnv's code, a message, and any extra fields. */
final class FrameError extends RuntimeException {
    final ErrorCode code;
    final ObjectNode data;

    FrameError(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
        this.data = Json.object().put("message", message).put("code", code.name());
    }

    /** A Spindle failure met while answering: the client's mistake (a 4xx type) or not. */
    static FrameError of(SpindleException e) {
        return new FrameError(e.type().httpStatus() < 500 ? ErrorCode.VALIDATION_ERROR : ErrorCode.EXECUTION_ERROR, e.type().name() + ": " + e.getMessage());
    }

    static FrameError invalid(String message) {
        return new FrameError(ErrorCode.VALIDATION_ERROR, message);
    }
}
