package dev.spindle.mock;

import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.Operation;
import dev.spindle.core.SpindleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * {@code load-data}: DeepFabric's mock-data file ({@code mockResponses.<tool>.defaultResponse},
 * {@code fixtures.<tool>[]}) in one call, all or nothing.
 */
record LoadData(MockCatalogue catalogue) implements Operation {
    @Override
    public JsonNode handle(String body, Map<String, String> params) {
        JsonNode data = MockRequest.jsonOrYaml(body);
        Set<String> named = new TreeSet<>();
        data.path("mockResponses").propertyNames().forEach(named::add);
        data.path("fixtures").propertyNames().forEach(named::add);
        Map<String, MockTool> listed = catalogue.tools();
        List<String> unknown = named.stream().filter(n -> !listed.containsKey(n)).toList();
        if (!unknown.isEmpty()) {
            throw new SpindleException(HttpError.NotFound, "Not in the catalogue: " + String.join(", ", unknown)
                    + ". Load their schemas first (load-schema); nothing was changed");
        }
        Map<String, Responses> added = new LinkedHashMap<>();
        int responses = 0;
        int fixtures = 0;
        for (String name : named) {
            JsonNode response = data.path("mockResponses").path(name).get("defaultResponse");
            List<Fixture> given = new ArrayList<>();
            data.path("fixtures").path(name).forEach(f -> given.add(Responses.parseFixture(f)));
            Responses.checkErrorFixture(response);
            given.forEach(f -> Responses.checkErrorFixture(f.response()));
            added.put(name, new Responses(response, given));
            responses += response == null ? 0 : 1;
            fixtures += given.size();
        }
        catalogue.addResponses(MockRequest.session(data, params), added);
        return Json.object().put("responses", responses).put("fixtures", fixtures);
    }
}
