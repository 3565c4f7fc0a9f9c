package dev.spindle.core.wire;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ErrorType;
import dev.spindle.core.FailureKind;
import dev.spindle.core.Json;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.ToolResult;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.TraceSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The JSON shapes of the HTTP wire, in one place for both ends (server writes, client reads).
 * Field names are snake_case as on the Spin wire.
 */
public final class Wire {
    private Wire() {}

    /** The Spin envelope {@code {success, result, error_type?}}; {@code error_type} is omitted on success. */
    public static ObjectNode envelope(ToolResult result) {
        ObjectNode json = Json.object().put("success", result.success()).put("result", result.result());
        if (result.errorType() != null) {
            json.put("error_type", result.errorType().name());
        }
        return json;
    }

    public static ToolResult fromEnvelope(JsonNode json) {
        String result = json.path("result").asString("");
        FailureKind type = errorType(json.path("error_type").asString(null));
        return new ToolResult(json.path("success").asBoolean(false), StringNode.valueOf(result), type);
    }

    /** An error body: {@code {error, error_type}}. */
    public static ObjectNode error(FailureKind type, String message) {
        return Json.object().put("error", message).put("error_type", type.name());
    }

    /** The kind a received {@code error_type} names: null when there is none, a name outside the vocabularies is {@code ComponentFailed}. */
    public static FailureKind errorType(String name) {
        return name == null ? null : FailureKind.parse(name).orElse(ErrorType.ComponentFailed);
    }

    public static ObjectNode session(SessionInfo info) {
        ObjectNode json = Json.object()
                .put("session_id", info.sessionId())
                .put("files", info.files())
                .put("bytes", info.bytes())
                .put("calls", info.calls())
                .put("created_at", info.createdAt().toString())
                .put("last_used_at", info.lastUsedAt().toString())
                .put("expires_at", info.expiresAt().toString());
        if (info.forkedFrom() != null) {
            json.put("forked_from", info.forkedFrom());
        }
        if (info.seed() != null) {
            json.put("seed", info.seed());
        }
        return json;
    }

    public static SessionInfo session(JsonNode json) {
        return new SessionInfo(json.path("session_id").asString(), json.path("files").asInt(), json.path("bytes").asLong(),
                json.path("calls").asInt(), Instant.parse(json.path("created_at").asString()),
                Instant.parse(json.path("last_used_at").asString()), Instant.parse(json.path("expires_at").asString()),
                json.path("forked_from").asString(null), json.path("seed").isIntegralNumber() ? json.get("seed").asLong() : null);
    }

    public static ObjectNode trace(String sessionId, TraceSnapshot trace) {
        ArrayNode array = Json.array();
        for (TraceEntry call : trace.calls()) {
            array.add(traceEntry(call));
        }
        ObjectNode json = Json.object().put("session_id", sessionId);
        json.set("calls", array);
        json.put("dropped", trace.dropped());
        return json;
    }

    public static ObjectNode traceEntry(TraceEntry call) {
        ObjectNode entry = Json.object()
                .put("seq", call.seq())
                .put("at", call.at().toString())
                .put("component", call.component())
                .put("tool", call.tool());
        entry.set("args", call.args());
        entry.put("success", call.success()).put("result", call.result());
        entry.put("error_type", call.errorType() == null ? null : call.errorType().name());
        entry.put("duration_us", call.durationMicros());
        return entry;
    }

    public static List<TraceEntry> trace(JsonNode json) {
        List<TraceEntry> calls = new ArrayList<>();
        for (JsonNode c : json.path("calls")) {
            calls.add(traceEntry(c));
        }
        return calls;
    }

    public static TraceEntry traceEntry(JsonNode c) {
        return new TraceEntry(c.path("seq").asLong(), Instant.parse(c.path("at").asString()), c.path("component").asString(null),
                c.path("tool").asString(), c.path("args"), c.path("success").asBoolean(), c.path("result").asString(),
                errorType(c.path("error_type").asString(null)), c.path("duration_us").asLong());
    }

    public static ObjectNode components(List<ComponentInfo> components) {
        ArrayNode names = Json.array();
        ArrayNode tools = Json.array();
        ArrayNode details = Json.array();
        for (ComponentInfo component : components) {
            names.add(component.name());
            ArrayNode own = Json.array();
            for (ToolDefinition tool : component.tools()) {
                tools.add(tool.toJson().put("component", component.name()));
                own.add(tool.toJson());
            }
            ObjectNode detail = Json.object().put("name", component.name()).put("description", component.description());
            detail.set("tools", own);
            detail.set("capabilities", component.capabilities());
            details.add(detail);
        }
        ObjectNode json = Json.object();
        json.set("components", names);
        json.set("tools", tools);
        json.set("details", details);
        return json;
    }

    public static List<ComponentInfo> components(JsonNode json) {
        List<ComponentInfo> components = new ArrayList<>();
        for (JsonNode detail : json.path("details")) {
            List<ToolDefinition> tools = new ArrayList<>();
            detail.path("tools").forEach(t -> tools.add(ToolDefinition.fromJson(t)));
            components.add(new ComponentInfo(detail.path("name").asString(), detail.path("description").asString(""), tools,
                    detail.path("capabilities").isObject() ? (ObjectNode) detail.path("capabilities") : Json.object()));
        }
        return components;
    }
}
