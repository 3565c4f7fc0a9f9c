package dev.spindle.core;

import java.util.Optional;

/**
 * The catalogue of tool failures: what {@code error_type} in a tool result may be, for every component
 * (built-in, mock fixture or WebAssembly) and every adapter. Failures of the request itself are
 * {@link HttpError}s.
 *
 * <p>The first eight exist in the reference system (DeepFabric's Spin components) and keep their wire
 * names. Each carries the HTTP status that adapters use where a failure must be a non-200 answer
 * (the {@code {name, arguments}} payload shape and the session API); the Spin envelope always answers 200.
 */
public enum ErrorType implements FailureKind {
    InvalidRequest(400),
    InvalidArguments(400),
    UnknownTool(400),
    FileNotFound(404),
    IOError(500),
    // RepoNotAllowed, WriteNotAllowed and RateLimited: raised by the GitHub component; a WebAssembly
    // component may answer them too (and keep their status).
    RepoNotAllowed(403),
    WriteNotAllowed(403),
    APIError(502),
    PermissionDenied(403),
    NotADirectory(409),
    IsADirectory(409),
    AlreadyExists(409),
    QuotaExceeded(422),
    Timeout(504),
    NotAllowed(403),
    RateLimited(429),
    ComponentFailed(502),
    UnknownComponent(404),
    Conflict(409),
    /** A text tool (read_file, edit_file) met a file that is not UTF-8 text: a command or a program wrote bytes. */
    BinaryFile(422);

    private final int httpStatus;

    ErrorType(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    @Override
    public int httpStatus() {
        return httpStatus;
    }

    /** The tool failure with this wire name; empty for a missing name or one outside the catalogue. */
    public static Optional<ErrorType> parse(String name) {
        return FailureKind.named(ErrorType.class, name);
    }
}
