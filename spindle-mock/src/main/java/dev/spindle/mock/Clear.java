package dev.spindle.mock;

import dev.spindle.core.Json;
import dev.spindle.core.Operation;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code clear}: the whole catalogue, or with a {@code session_id} only that session's overlays. */
record Clear(MockCatalogue catalogue) implements Operation {
    @Override
    public JsonNode handle(String body, Map<String, String> params) {
        catalogue.clear(MockRequest.session(body.isBlank() ? Json.object() : MockRequest.object(body), params));
        return Json.object().put("cleared", true);
    }
}
