package dev.spindle.mock;

import dev.spindle.core.Json;
import dev.spindle.core.Operation;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code list-tools}: the catalogue's MCP definitions in listing order (the reference's shape);
 * {@code ?responses=true} adds each tool's {@code mockResponse} and {@code fixtures} (the web console shows them).
 */
record ListTools(MockCatalogue catalogue) implements Operation {
    @Override
    public JsonNode handle(String body, Map<String, String> params) {
        ArrayNode list = Json.array();
        for (MockTool tool : catalogue.tools().values()) {
            ObjectNode entry = Json.object().put("name", tool.definition().name()).put("description", tool.definition().description());
            entry.set("inputSchema", tool.definition().inputSchema());
            if ("true".equals(params.get("responses"))) {
                tool.record().responses().writeTo(entry);
            }
            list.add(entry);
        }
        ObjectNode answer = Json.object();
        answer.set("tools", list);
        return answer;
    }
}
