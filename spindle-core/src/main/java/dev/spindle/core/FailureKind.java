package dev.spindle.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * What kind of failure a {@link SpindleException} or a failed {@link ToolResult} is: the name the wire
 * carries as {@code error_type} and the HTTP status that answers it. Each layer has its own vocabulary:
 * {@link ErrorType} for tool failures, {@link HttpError} for refused requests, and the client's own.
 */
public interface FailureKind {
    String name();

    int httpStatus();

    /** The kind named in a server's {@code error_type}: a tool failure or a refused request. */
    static Optional<FailureKind> parse(String name) {
        return ErrorType.parse(name).<FailureKind>map(type -> type).or(() -> named(HttpError.class, name));
    }

    /** The one name-to-kind lookup; an unknown or missing name is empty. */
    static <K extends Enum<K> & FailureKind> Optional<K> named(Class<K> vocabulary, String name) {
        return Arrays.stream(vocabulary.getEnumConstants()).filter(kind -> kind.name().equals(name)).findFirst();
    }
}
