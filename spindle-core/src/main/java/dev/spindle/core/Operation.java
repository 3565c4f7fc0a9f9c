package dev.spindle.core;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/** One of a component's non-tool operations, e.g. the mock's {@code load-schema}. */
@FunctionalInterface
public interface Operation {
    /**
     * @param body the raw request body (may be empty; some operations take YAML)
     * @param params the query parameters, plus {@code session_id} from the {@code X-Session-Id} header
     * @return the JSON answer (HTTP 200); failures are {@link SpindleException}s
     */
    JsonNode handle(String body, Map<String, String> params);
}
