package dev.spindle.mock;

import dev.spindle.core.Json;
import dev.spindle.core.Operation;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code update-response}: {@code {name, mockResponse, session_id?}}: the tool's answer template. */
record UpdateResponse(MockCatalogue catalogue) implements Operation {
    @Override
    public JsonNode handle(String body, Map<String, String> params) {
        JsonNode request = MockRequest.object(body);
        String name = MockRequest.toolName(request);
        if (!request.has("mockResponse")) {
            throw MockRequest.invalid("mockResponse is required: the answer template for " + name);
        }
        Responses template = new Responses(request.get("mockResponse"), List.of());
        catalogue.addResponses(MockRequest.session(request, params), Map.of(name, template));
        return Json.object().put("updated", name);
    }
}
