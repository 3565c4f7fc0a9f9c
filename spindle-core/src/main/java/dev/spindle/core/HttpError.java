package dev.spindle.core;

/**
 * Failures of a request rather than of a tool: no such route, session or operation, a refusal (token,
 * origin, limits), overload, or a bug. They answer the HTTP request with their status; a tool never
 * fails with them (a tool's failures are {@link ErrorType}s).
 */
public enum HttpError implements FailureKind {
    /** The session named in a session-API call does not exist. */
    UnknownSession(404),
    /** A bearer token is required and was not given. */
    Unauthorized(401),
    /** No such route, mock tool or component operation. */
    NotFound(404),
    /** The route exists for other methods. */
    MethodNotAllowed(405),
    /** The request body is over the server's limit. */
    PayloadTooLarge(413),
    /** The request line (method, path and query) is over 4,096 bytes. */
    UriTooLong(414),
    /** The request's headers are over 8,192 bytes. */
    HeadersTooLarge(431),
    /** A bug or an unexpected failure in the server; the request was not completed. */
    Internal(500),
    /** The request's {@code Origin} is not allowed (a web page cannot drive the service). */
    Forbidden(403),
    /** The body's {@code Content-Type} is not one the route reads. */
    UnsupportedMediaType(415),
    /** Too many calls waiting for a worker or a compute thread; retry after the {@code Retry-After} seconds. */
    Overloaded(503);

    private final int httpStatus;

    HttpError(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    @Override
    public int httpStatus() {
        return httpStatus;
    }
}
