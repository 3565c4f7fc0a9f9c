package dev.spindle.eval;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What the summary reads of one line of {@code results.jsonl}. The line itself is the record (its
 * format is in docs/eval.md); this view is taken back from the JSON, so a summary of a resumed run or
 * of a file from another machine is computed exactly as one made in the same run.
 *
 * @param reward null for an attempt that ended in an infrastructure error: it has no grade
 * @param gradedBy how a dataset record was graded ({@code state} or {@code tool_selection}); null for a task
 * @param firstCall DeepFabric's static metrics of a dataset record's attempt; null for a task
 */
record AttemptLine(String task, int attempt, Double reward, boolean solved, List<ToolUse> calls, int parseFailures, String infraCause,
                   String gradedBy, JsonNode firstCall) {
    /** One tool call of the attempt: the tool's name and its error type (null when it succeeded). */
    record ToolUse(String tool, String errorType) {}

    static final String INFRA_ERROR = "infra_error";
    static final String GRADED = "graded";

    boolean graded() {
        return infraCause == null;
    }

    static AttemptLine of(JsonNode line) {
        List<ToolUse> calls = new ArrayList<>();
        line.path("tool_calls").forEach(call -> calls.add(new ToolUse(call.path("name").asString(),
                call.path("error_type").isString() ? call.get("error_type").stringValue() : null)));
        boolean infra = INFRA_ERROR.equals(line.path("status").asString());
        return new AttemptLine(line.path("task").asString(), line.path("attempt").asInt(),
                infra || !line.path("reward").isNumber() ? null : line.get("reward").asDouble(), line.path("solved").asBoolean(false), calls,
                line.path("parse_failures").asInt(0), infra ? line.path("infra_error").path("cause").asString("unknown") : null,
                line.path("graded_by").isString() ? line.get("graded_by").stringValue() : null,
                line.path("deepfabric").isObject() ? line.get("deepfabric") : null);
    }
}
