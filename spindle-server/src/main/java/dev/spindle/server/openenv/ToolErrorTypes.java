package dev.spindle.server.openenv;

import dev.spindle.core.ErrorType;
import dev.spindle.core.FailureKind;

/**
 * OpenEnv's {@code ToolErrorType} for a Spindle failure: {@code tool_not_found} (UnknownTool),
 * {@code invalid_args} (InvalidArguments, InvalidRequest), {@code timeout} (Timeout), {@code transport_error}
 * (APIError: the upstream a tool speaks to failed), {@code execution_error} for every other failure. The Spindle
 * type stays readable at the start of the message.
 */
final class ToolErrorTypes {
    static final String TIMEOUT = "timeout";
    static final String NOT_FOUND = "tool_not_found";
    static final String EXECUTION = "execution_error";

    private ToolErrorTypes() {}

    static String of(FailureKind kind) {
        if (!(kind instanceof ErrorType type)) {
            return EXECUTION;
        }
        return switch (type) {
            case UnknownTool -> NOT_FOUND;
            case InvalidArguments, InvalidRequest -> "invalid_args";
            case Timeout -> TIMEOUT;
            case APIError -> "transport_error";
            default -> EXECUTION;
        };
    }
}
