package dev.spindle.mock;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** How the mock's operations read their request bodies and the fields they share. */
final class MockRequest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private MockRequest() {}

    /** A JSON object; an empty body reads as {@code {}}. */
    static JsonNode object(String body) {
        JsonNode json = Json.parse(body.isBlank() ? "{}" : body);
        if (!json.isObject()) {
            throw invalid("Request body must be a JSON object");
        }
        return json;
    }

    /** A JSON or YAML document (schemas and mock-data files are often written in YAML). */
    static JsonNode jsonOrYaml(String body) {
        if (body.isBlank()) {
            throw invalid("The body is empty: send JSON or YAML");
        }
        try {
            return Json.parse(body);
        } catch (SpindleException notJson) {
            try {
                JsonNode yaml = YAML.readTree(body);
                if (yaml == null || yaml.isMissingNode() || yaml.isString()) {
                    throw notJson;
                }
                return yaml;
            } catch (JacksonException notYaml) {
                throw invalid("The body is neither JSON nor YAML: " + notYaml.getOriginalMessage());
            }
        }
    }

    /** {@code session_id} from the body, else from the query or header; null for the catalogue itself. */
    static String session(JsonNode request, Map<String, String> params) {
        JsonNode given = request.get("session_id");
        if (given != null && !given.isNull()) {
            if (!given.isString()) {
                throw invalid("session_id must be a string");
            }
            return given.stringValue();
        }
        return params.get("session_id");
    }

    /** {@code ?replace=true}: a reloaded tool drops the responses it kept. */
    static boolean replace(Map<String, String> params) {
        return Boolean.parseBoolean(params.getOrDefault("replace", "false"));
    }

    /** The tool a change is for. */
    static String toolName(JsonNode request) {
        JsonNode name = request.path("name");
        if (!name.isString()) {
            throw invalid("name is required: the tool to change");
        }
        return name.stringValue();
    }

    static SpindleException invalid(String message) {
        return new SpindleException(ErrorType.InvalidRequest, message);
    }
}
