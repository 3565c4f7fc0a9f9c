package dev.spindle.core;

/**
 * A failure of a {@link FailureKind} (a tool's {@link ErrorType}, or an {@link HttpError} for a refused
 * request) with a message written for the reader who has to recover from it (often a model): what was
 * wrong and what is allowed. Thrown by tools and by the runtime; each adapter maps it exactly once
 * (HTTP status + JSON, tool result, client exception).
 */
public class SpindleException extends RuntimeException {
    private final FailureKind type;

    public SpindleException(FailureKind type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public FailureKind type() {
        return type;
    }
}
