package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.SpindleException;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP decoder could not read (a request line over 4 KiB, headers over 8 KiB, a bad
 * Content-Length, a malformed header...): answered JSON with an {@code error_type}, like every other
 * mistake, then the connection is closed since the rest of its bytes cannot be trusted.
 */
final class MalformedRequests implements Handler<HttpServerRequest> {
    /** Netty's wording for the two limits (the same test as Vert.x's own default handler). */
    private static final String LINE_TOO_LONG = "An HTTP line is larger than";
    private static final String HEADERS_TOO_LARGE = "HTTP header is larger than";

    @Override
    public void handle(HttpServerRequest request) {
        request.response().putHeader("connection", "close");
        new Exchange(request).fail(describe(request.decoderResult().cause()));
    }

    private static SpindleException describe(Throwable cause) {
        String reason = cause == null || cause.getMessage() == null ? "cannot be parsed" : cause.getMessage();
        if (cause instanceof TooLongFrameException && reason.startsWith(LINE_TOO_LONG)) {
            return new SpindleException(HttpError.UriTooLong, "The request line is longer than 4096 bytes: shorten the path and query");
        }
        if (cause instanceof TooLongFrameException && reason.startsWith(HEADERS_TOO_LARGE)) {
            return new SpindleException(HttpError.HeadersTooLarge, "The request headers are larger than 8192 bytes");
        }
        return new SpindleException(ErrorType.InvalidRequest, "Malformed HTTP request: " + reason);
    }
}
