package dev.spindle.mock;

import dev.spindle.core.Operation;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code state}: {@code {session_id?}} reads the state handler scripts keep ({@code {session_id, state,
 * changes}}); {@code {session_id?, state}} replaces it. Without a session, the catalogue's initial state
 * that sessions start from.
 */
record MockState(Scripts scripts) implements Operation {
    @Override
    public JsonNode handle(String body, Map<String, String> params) {
        JsonNode request = MockRequest.object(body);
        String session = MockRequest.session(request, params);
        if (request.has("state")) {
            scripts.replace(session, request.get("state"));
        }
        return scripts.describe(session);
    }
}
