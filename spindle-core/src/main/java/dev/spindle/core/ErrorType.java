package dev.spindle.core;

/**
 * The one catalogue of failure kinds, used by every component and every adapter.
 *
 * <p>The first eight exist in the reference system (DeepFabric's Spin components) and keep their wire
 * names. Each carries the HTTP status that adapters use where a failure must be a non-200 answer
 * (the {@code {name, arguments}} payload shape and the session API); the Spin envelope always answers 200.
 */
public enum ErrorType {
    InvalidRequest(400),
    InvalidArguments(400),
    UnknownTool(400),
    FileNotFound(404),
    IOError(500),
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
    /** Not a tool failure: the session named in a session-API call does not exist. */
    UnknownSession(404),
    /** Not a tool failure: a bearer token is required and was not given. */
    Unauthorized(401),
    /** HTTP only: no such route. */
    NotFound(404),
    /** HTTP only: the route exists for other methods. */
    MethodNotAllowed(405),
    /** HTTP only: the request body is over the server's limit. */
    PayloadTooLarge(413),
    /** HTTP only: the request line (method, path and query) is over 4,096 bytes. */
    UriTooLong(414),
    /** HTTP only: the request's headers are over 8,192 bytes. */
    HeadersTooLarge(431),
    /** Client side (DeepFabric's name): a tool server answered non-200 without an error type. */
    HTTPError(502),
    /** HTTP only: a bug or an unexpected failure in the server; the request was not completed. */
    Internal(500),
    /** HTTP only: the request's {@code Origin} is not allowed (a web page cannot drive the service). */
    Forbidden(403),
    /** HTTP only: the body's {@code Content-Type} is not one the route reads. */
    UnsupportedMediaType(415),
    /** HTTP only: too many calls waiting for a worker; retry after the {@code Retry-After} seconds. */
    Overloaded(503);

    private final int httpStatus;

    ErrorType(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
