package dev.spindle.core;

/**
 * A failure with a type from the {@link ErrorType} catalogue and a message written for the reader who
 * has to recover from it (often a model): what was wrong and what is allowed. Thrown by tools and by
 * the runtime; each adapter maps it exactly once (HTTP status + JSON, tool result, client exception).
 */
public class SpindleException extends RuntimeException {
    private final ErrorType type;

    public SpindleException(ErrorType type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }
}
