package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.wire.Wire;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** One request with its decoded path segments and body, and the ways to answer it. */
final class Exchange {
    private static final String JSON = "application/json";

    final HttpServerRequest request;
    final List<String> segments;
    final Buffer body;
    private JsonNode json;

    Exchange(HttpServerRequest request, List<String> segments, Buffer body) {
        this.request = request;
        this.segments = segments;
        this.body = body;
    }

    String segment(int i) {
        return segments.get(i);
    }

    /** The body as JSON, parsed once; an empty body is an empty object. Malformed JSON is {@code InvalidRequest}. */
    JsonNode json() {
        if (json == null) {
            json = body == null || body.length() == 0 ? Json.object() : Json.parse(body.getBytes());
        }
        return json;
    }

    void respond(int status, JsonNode json) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        // Wrapped, not copied: the bytes are ours alone from here on.
        response.setStatusCode(status).putHeader("content-type", JSON).end(BufferInternal.buffer(Unpooled.wrappedBuffer(Json.writeBytes(json))));
    }

    void ok(JsonNode json) {
        respond(200, json);
    }

    void fail(SpindleException e) {
        respond(e.type().httpStatus(), Wire.error(e.type(), e.getMessage()));
    }

    static SpindleException badRequest(String message) {
        return new SpindleException(ErrorType.InvalidRequest, message);
    }
}
