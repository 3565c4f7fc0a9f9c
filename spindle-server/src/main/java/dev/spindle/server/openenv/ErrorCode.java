package dev.spindle.server.openenv;

/** OpenEnv's WebSocket error codes ({@code WSErrorCode}); some end the session and close the socket. */
enum ErrorCode {
    INVALID_JSON(false),
    UNKNOWN_TYPE(false),
    VALIDATION_ERROR(false),
    EXECUTION_ERROR(false),
    CAPACITY_REACHED(true),
    SESSION_ERROR(true);

    final boolean endsSession;

    ErrorCode(boolean endsSession) {
        this.endsSession = endsSession;
    }
}
