package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.store.StoreUnavailable;
import dev.spindle.core.wire.Wire;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;

/** One request with, as the request chain learns them, its decoded path segments, route and body, and the ways to answer it. */
final class Exchange {
    /** Under the request chain's name, as the internal errors were logged before they were answered here. */
    private static final Logger LOG = Logger.getLogger(Chain.class.getName());
    private static final String JSON = "application/json";
    /** What a client told to try again waits, in seconds: the store's hiccups and the server's overloads are short. */
    static final int RETRY_AFTER_SECONDS = StoreUnavailable.RETRY_AFTER_SECONDS;

    final HttpServerRequest request;
    List<String> segments = List.of();
    Route route;
    Buffer body;
    private JsonNode json;

    Exchange(HttpServerRequest request) {
        this.request = request;
    }

    /** The value of the route's path parameter {@code name}; null when its path has none of that name. */
    String param(String name) {
        int i = route.paramIndex(name);
        return i < 0 ? null : segments.get(i);
    }

    /** The body as JSON, parsed once; an empty body is an empty object. Malformed JSON is {@code InvalidRequest}. */
    JsonNode json() {
        if (json == null) {
            json = body == null || body.length() == 0 ? Json.object() : Json.parse(body.getBytes());
        }
        return json;
    }

    /** The body as a JSON object (an empty body is an empty object); anything else is {@code InvalidRequest}. */
    JsonNode jsonObject() {
        JsonNode body = json();
        if (!body.isObject()) {
            throw badRequest("Request body must be a JSON object");
        }
        return body;
    }

    /** The string at {@code key} of a request body; null when absent or null, {@code InvalidRequest} when not a string. */
    static String optionalString(JsonNode body, String key) {
        JsonNode value = body.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw badRequest(key + " must be a string");
        }
        return value.stringValue();
    }

    /** The query parameter, or {@code fallback} when absent or empty. */
    String query(String name, String fallback) {
        String value = request.getParam(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** A whole-number query parameter from {@code min} to {@code max}; {@code fallback} when absent. */
    int query(String name, int min, int max, int fallback) {
        String value = query(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // answered below, as a number out of range is
        }
        throw badRequest(name + " must be a whole number from " + min + " to " + max);
    }

    void respond(int status, JsonNode json) {
        bytes(status, JSON, Json.writeBytes(json));
    }

    /** Answers {@code body} as it is: wrapped, not copied, so the caller must not change it afterwards. */
    void bytes(int status, String contentType, byte[] body) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("content-type", contentType).end(BufferInternal.buffer(Unpooled.wrappedBuffer(body)));
    }

    void text(int status, String contentType, String text) {
        HttpServerResponse response = request.response();
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(status).putHeader("content-type", contentType).end(text);
        }
    }

    void ok(JsonNode json) {
        respond(200, json);
    }

    /**
     * Answers what went wrong, the one mapping of failures to HTTP answers: a {@link SpindleException} as
     * {@link #fail(SpindleException)} does; anything else (an {@link Error} too) is a bug, logged with its
     * stack, and answered 500 {@code Internal} without internals.
     */
    void fail(Throwable failure) {
        if (failure instanceof SpindleException known) {
            fail(known);
        } else {
            LOG.log(Level.WARNING, "event=internal_error method=" + request.method() + " path=" + request.path(), failure);
            fail(new SpindleException(HttpError.Internal, "Internal server error; the request was not completed"));
        }
    }

    /**
     * As {@link #fail(Throwable)}, for a tool call: an invalid request is readable by both clients, with the
     * Spin envelope's fields and the {@code {error}} of the name/arguments shape.
     */
    void failToolCall(Throwable failure) {
        if (failure instanceof SpindleException e && e.type() == ErrorType.InvalidRequest) {
            String message = "Invalid request: " + e.getMessage();
            respond(400, Json.object().put("success", false).put("result", message).put("error", message)
                    .put("error_type", ErrorType.InvalidRequest.name()));
        } else {
            fail(failure);
        }
    }

    /**
     * The failure's status, but 503 while the store is unreachable; with {@code Retry-After} then and when
     * the server is overloaded (workers or compute): nothing for the client to fix but to try again.
     */
    void fail(SpindleException e) {
        int status = e instanceof StoreUnavailable ? 503 : e.type().httpStatus();
        if (status == 503 && !request.response().ended()) {
            request.response().putHeader("retry-after", String.valueOf(RETRY_AFTER_SECONDS));
        }
        respond(status, Wire.error(e.type(), e.getMessage()));
    }

    static SpindleException badRequest(String message) {
        return new SpindleException(ErrorType.InvalidRequest, message);
    }
}
