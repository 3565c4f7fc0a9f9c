package dev.spindle.mock;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a mock tool answers: a response template, fixtures in insertion order, and a handler script
 * (JavaScript, see {@link Scripts}) that answers in place of the template. The catalogue keeps one per
 * tool; a session may keep its own (an overlay), consulted first and dropped with the session.
 */
record Responses(JsonNode mockResponse, List<Fixture> fixtures, String handler) {
    static final Responses NONE = new Responses(null, List.of());

    Responses {
        fixtures = List.copyOf(fixtures);
    }

    Responses(JsonNode mockResponse, List<Fixture> fixtures) {
        this(mockResponse, fixtures, null);
    }

    Responses withResponse(JsonNode response) {
        checkErrorFixture(response);
        return new Responses(response, fixtures, handler);
    }

    Responses withHandler(String source) {
        return new Responses(mockResponse, fixtures, source);
    }

    /** True when a template or a handler answers the calls no specific fixture matches. */
    boolean answersEveryCall() {
        return mockResponse != null || handler != null;
    }

    /** Adds a fixture; one with the same match replaces the old one in its place. */
    Responses withFixture(Fixture fixture) {
        checkErrorFixture(fixture.response());
        List<Fixture> updated = new ArrayList<>(fixtures);
        for (int i = 0; i < updated.size(); i++) {
            if (Fixture.same(updated.get(i).match(), fixture.match())) {
                updated.set(i, fixture);
                return new Responses(mockResponse, updated, handler);
            }
        }
        updated.add(fixture);
        return new Responses(mockResponse, updated, handler);
    }

    /** These responses with {@code added}'s template and handler (those it has) and then each of its fixtures added. */
    Responses merge(Responses added) {
        Responses merged = added.mockResponse == null ? this : withResponse(added.mockResponse);
        merged = added.handler == null ? merged : merged.withHandler(added.handler);
        for (Fixture fixture : added.fixtures) {
            merged = merged.withFixture(fixture);
        }
        return merged;
    }

    /** {@code {"error_type": T, "error": M}} (nothing else) makes the call fail with type T. */
    static boolean isErrorFixture(JsonNode response) {
        return response != null && response.isObject() && response.path("error_type").isString()
                && response.size() <= 2 && (response.size() == 1 || response.has("error"));
    }

    static void checkErrorFixture(JsonNode response) {
        if (isErrorFixture(response) && ErrorType.parse(response.path("error_type").stringValue()).isEmpty()) {
            throw new SpindleException(ErrorType.InvalidRequest, "Unknown error_type '" + response.path("error_type").stringValue()
                    + "' in an error response; use one of " + Arrays.toString(ErrorType.values()));
        }
    }

    void writeTo(ObjectNode json) {
        if (mockResponse != null) {
            json.set("mockResponse", mockResponse);
        }
        if (handler != null) {
            json.put("handler", handler);
        }
        ArrayNode list = json.putArray("fixtures");
        fixtures.forEach(f -> list.add(f.toJson()));
    }

    /**
     * Reads {@code mockResponse}, {@code handler} and fixtures, as a list of {match, response} or the
     * reference's {key: response} map.
     */
    static Responses readFrom(JsonNode json) {
        JsonNode response = json.get("mockResponse");
        Responses responses = new Responses(response == null || response.isMissingNode() ? null : response, List.of(), handler(json));
        checkErrorFixture(responses.mockResponse());
        for (String field : new String[] {"fixtures", "mockFixtures"}) {
            JsonNode given = json.path(field);
            if (given.isArray()) {
                for (JsonNode fixture : given) {
                    responses = responses.withFixture(parseFixture(fixture));
                }
            } else if (given.isObject()) {
                for (var entry : given.properties()) {
                    responses = responses.withFixture(Fixture.fromReferenceKey(entry.getKey(), entry.getValue()));
                }
            }
        }
        return responses;
    }

    /** The {@code handler} field: JavaScript source, or null when absent. */
    static String handler(JsonNode json) {
        JsonNode handler = json.path("handler");
        if (handler.isMissingNode() || handler.isNull()) {
            return null;
        }
        if (!handler.isString() || handler.stringValue().isBlank()) {
            throw new SpindleException(ErrorType.InvalidRequest, "handler must be JavaScript source text: the body of a function of (args, state, context)");
        }
        return handler.stringValue();
    }

    static Fixture parseFixture(JsonNode fixture) {
        JsonNode match = fixture.path("match");
        if (!match.isObject()) {
            throw new SpindleException(ErrorType.InvalidRequest, "A fixture needs 'match': an object of argument values ({} matches any call)");
        }
        if (!fixture.has("response")) {
            throw new SpindleException(ErrorType.InvalidRequest, "A fixture needs 'response': the answer when it matches");
        }
        return new Fixture((ObjectNode) match, fixture.get("response"));
    }

    static Responses parse(byte[] stored) {
        return stored == null ? NONE : readFrom(Json.parse(stored));
    }

    byte[] bytes() {
        ObjectNode json = Json.object();
        writeTo(json);
        return Json.writeBytes(json);
    }
}
