package dev.spindle.mock;

import dev.spindle.core.Json;
import dev.spindle.core.Operation;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code clear}: the whole catalogue and its initial script state, or with a {@code session_id} only that
 * session's overlays and script state.
 */
record Clear(MockCatalogue catalogue, Scripts scripts) implements Operation {
    @Override
    public JsonNode handle(String body, Map<String, String> params) {
        String session = MockRequest.session(body.isBlank() ? Json.object() : MockRequest.object(body), params);
        catalogue.clear(session);
        scripts.clear(session);
        return Json.object().put("cleared", true);
    }
}
