package dev.spindle.mock;

import dev.spindle.core.Json;
import dev.spindle.core.Operation;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code update-response}: {@code {name, mockResponse or handler, session_id?}}: the tool's answer template or handler script. */
record UpdateResponse(MockCatalogue catalogue) implements Operation {
    @Override
    public JsonNode handle(String body, Map<String, String> params) {
        JsonNode request = MockRequest.object(body);
        String name = MockRequest.toolName(request);
        String handler = Responses.handler(request);
        if (!request.has("mockResponse") && handler == null) {
            throw MockRequest.invalid("mockResponse (the answer template) or handler (a script) is required for " + name);
        }
        Responses template = new Responses(request.get("mockResponse"), List.of(), handler);
        catalogue.addResponses(MockRequest.session(request, params), Map.of(name, template));
        return Json.object().put("updated", name);
    }
}
