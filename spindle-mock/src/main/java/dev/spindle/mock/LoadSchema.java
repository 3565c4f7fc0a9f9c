package dev.spindle.mock;

import dev.spindle.core.Json;
import dev.spindle.core.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code load-schema}: MCP {@code {tools:[...]}} or a bare array, JSON or YAML. {@code ?replace=true} drops kept responses. */
record LoadSchema(MockCatalogue catalogue) implements Operation {
    @Override
    public JsonNode handle(String body, Map<String, String> params) {
        JsonNode doc = MockRequest.jsonOrYaml(body);
        JsonNode list = doc.isArray() ? doc : doc.path("tools");
        if (!list.isArray()) {
            throw MockRequest.invalid("Expected {\"tools\": [...]} or a bare array of MCP tool definitions");
        }
        List<JsonNode> definitions = new ArrayList<>();
        list.forEach(definitions::add);
        return loaded(catalogue.load(definitions, MockRequest.replace(params) || doc.path("replace").asBoolean(false)));
    }

    /** The answer to a load: {@code {loaded, tools: [names]}}. */
    static JsonNode loaded(List<String> names) {
        ArrayNode list = Json.array();
        names.forEach(list::add);
        ObjectNode answer = Json.object().put("loaded", names.size());
        answer.set("tools", list);
        return answer;
    }
}
