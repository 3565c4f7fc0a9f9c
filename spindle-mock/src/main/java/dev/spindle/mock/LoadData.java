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
 * {@code fixtures.<tool>[]}) in one call, all or nothing; ours beside them: {@code mockResponses.<tool>.handler}
 * (a handler script) and a top-level {@code state} (the script state sessions start from, or with a
 * {@code session_id} that session's).
 */
record LoadData(MockCatalogue catalogue, Scripts scripts) implements Operation {
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
        if (data.has("state")) {
            scripts.checkState(data.get("state"));
        }
        Map<String, Responses> added = new LinkedHashMap<>();
        int responses = 0;
        int fixtures = 0;
        for (String name : named) {
            JsonNode response = data.path("mockResponses").path(name).get("defaultResponse");
            String handler = Responses.handler(data.path("mockResponses").path(name));
            List<Fixture> given = new ArrayList<>();
            data.path("fixtures").path(name).forEach(f -> given.add(Responses.parseFixture(f)));
            Responses.checkErrorFixture(response);
            given.forEach(f -> Responses.checkErrorFixture(f.response()));
            added.put(name, new Responses(response, given, handler));
            responses += response == null && handler == null ? 0 : 1;
            fixtures += given.size();
        }
        String session = MockRequest.session(data, params);
        catalogue.addResponses(session, added);
        if (data.has("state")) {
            scripts.replace(session, data.get("state"));
        }
        return Json.object().put("responses", responses).put("fixtures", fixtures);
    }
}
