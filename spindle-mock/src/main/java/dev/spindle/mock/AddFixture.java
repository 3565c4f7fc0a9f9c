package dev.spindle.mock;

import dev.spindle.core.Json;
import dev.spindle.core.Operation;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code add-fixture}: {@code {name, match, response, session_id?}}: an answer for calls with those arguments. */
record AddFixture(MockCatalogue catalogue) implements Operation {
    @Override
    public JsonNode handle(String body, Map<String, String> params) {
        JsonNode request = MockRequest.object(body);
        String name = MockRequest.toolName(request);
        Fixture fixture = Responses.parseFixture(request);
        Map<String, Responses> added = Map.of(name, new Responses(null, List.of(fixture)));
        Responses updated = catalogue.addResponses(MockRequest.session(request, params), added).get(name);
        return Json.object().put("tool", name).put("fixture_key", fixture.key()).put("total_fixtures", updated.fixtures().size());
    }
}
