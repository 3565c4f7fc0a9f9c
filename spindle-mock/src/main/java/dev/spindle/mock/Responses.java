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
 * What a mock tool answers: a response template and fixtures, in insertion order. The catalogue keeps
 * one per tool; a session may keep its own (an overlay), consulted first and dropped with the session.
 */
record Responses(JsonNode mockResponse, List<Fixture> fixtures) {
    static final Responses NONE = new Responses(null, List.of());

    Responses {
        fixtures = List.copyOf(fixtures);
    }

    Responses withResponse(JsonNode response) {
        checkErrorFixture(response);
        return new Responses(response, fixtures);
    }

    /** Adds a fixture; one with the same match replaces the old one in its place. */
    Responses withFixture(Fixture fixture) {
        checkErrorFixture(fixture.response());
        List<Fixture> updated = new ArrayList<>(fixtures);
        for (int i = 0; i < updated.size(); i++) {
            if (Fixture.same(updated.get(i).match(), fixture.match())) {
                updated.set(i, fixture);
                return new Responses(mockResponse, updated);
            }
        }
        updated.add(fixture);
        return new Responses(mockResponse, updated);
    }

    /** These responses with {@code added}'s template (when it has one) and then each of its fixtures added. */
    Responses merge(Responses added) {
        Responses merged = added.mockResponse == null ? this : withResponse(added.mockResponse);
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
        ArrayNode list = json.putArray("fixtures");
        fixtures.forEach(f -> list.add(f.toJson()));
    }

    /** Reads {@code mockResponse} and fixtures, as a list of {match, response} or the reference's {key: response} map. */
    static Responses readFrom(JsonNode json) {
        JsonNode response = json.get("mockResponse");
        Responses responses = new Responses(response == null || response.isMissingNode() ? null : response, List.of());
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
