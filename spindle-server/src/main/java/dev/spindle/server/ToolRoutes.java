package dev.spindle.server;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolCall;
import dev.spindle.core.Version;
import dev.spindle.core.runtime.SessionAdmin;
import dev.spindle.core.runtime.ToolCalls;
import dev.spindle.core.wire.Wire;
import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Health, component listings and tool execution, in both payload shapes:
 * {@code {session_id, tool, args}} answers the Spin envelope with 200 even when the tool fails;
 * {@code {name, arguments, session_id?}} answers {@code {result}}, and a failure as a non-200
 * {@code {error, error_type}} (DeepFabric's client in path mode can see a failure no other way).
 */
final class ToolRoutes {
    /** The session of a {@code {name, arguments}} call that names none (DeepFabric's path mode sends none). */
    static final String DEFAULT_SESSION = "default";

    private final ToolCalls calls;
    /** For the health report's count. */
    private final SessionAdmin sessions;
    /** The store as the health report names it. */
    private final String store;
    /** Where a call that may block runs when this request is on an event loop. */
    private final Function<Exchange, Executor> workers;

    <R extends ToolCalls & SessionAdmin> ToolRoutes(R runtime, String store, Function<Exchange, Executor> workers) {
        this.calls = runtime;
        this.sessions = runtime;
        this.store = store;
        this.workers = workers;
    }

    void requireComponent(String component) {
        calls.requireComponent(component);
    }

    private List<ComponentInfo> scope(String component) {
        if (component == null) {
            return calls.components();
        }
        requireComponent(component);
        return calls.components().stream().filter(c -> c.name().equals(component)).toList();
    }

    void health(Exchange ex, String component) {
        ObjectNode json = Json.object().put("status", "healthy");
        var names = json.putArray("components");
        scope(component).forEach(c -> names.add(c.name()));
        json.put("version", Version.CURRENT).put("store", store).put("sessions", sessions.sessionCount());
        // "status" stays "healthy" (clients and load balancers read it): a misconfigured component is named here instead
        putByComponent(json, "warnings", component, calls.warnings(), StringNode::valueOf);
        putByComponent(json, "details", component, calls.health(), health -> health);
        ex.ok(json);
    }

    /** A section of {@code /health} keyed by component: only {@code component}'s when one is asked for, absent when empty. */
    private static <V> void putByComponent(ObjectNode json, String key, String component, Map<String, V> byComponent, Function<V, JsonNode> node) {
        ObjectNode section = Json.object();
        byComponent.forEach((name, value) -> {
            if (component == null || component.equals(name)) {
                section.set(name, node.apply(value));
            }
        });
        if (!section.isEmpty()) {
            json.set(key, section);
        }
    }

    void components(Exchange ex, String component) {
        ex.ok(Wire.components(scope(component)));
    }

    /**
     * Runs the call through {@link ToolCalls#executeAsync}: on an event loop a store-only tool on a store
     * that waits without blocking answers from here, a compute call goes to the compute pool, and anything
     * else that may block to the workers.
     */
    void execute(Exchange ex, String component) {
        if (component != null) {
            requireComponent(component);
        }
        try {
            JsonNode body = ex.json();
            if (!body.isObject()) {
                throw Exchange.badRequest("Request body must be a JSON object: {session_id, tool, args} or {name, arguments}");
            }
            boolean envelope = body.has("tool");
            ToolCall call;
            if (envelope) {
                call = new ToolCall(text(body, "session_id", null), component, text(body, "tool", null), body.get("args"));
            } else if (body.has("name")) {
                call = new ToolCall(text(body, "session_id", sessionFromRequest(ex)), component, text(body, "name", null), body.get("arguments"));
            } else {
                throw Exchange.badRequest("Request body must be {session_id, tool, args} or {name, arguments}");
            }
            Executor blocking = Context.isOnEventLoopThread() ? workers.apply(ex) : Runnable::run;
            calls.executeAsync(call, blocking).whenComplete((result, failure) -> {
                if (failure != null) {
                    ex.failToolCall(failure instanceof CompletionException wrapped ? wrapped.getCause() : failure);
                } else if (envelope) {
                    ex.ok(Wire.envelope(result));
                } else if (result.success()) {
                    ObjectNode json = Json.object();
                    json.set("result", result.value());
                    ex.ok(json);
                } else {
                    ex.respond(result.errorType().httpStatus(), Wire.error(result.errorType(), result.result()));
                }
            });
        } catch (SpindleException e) {
            ex.failToolCall(e);
        }
    }

    /**
     * A component's own operation, {@code /{component}/{operation}} (the mock's {@code load-schema}...).
     * Any method, as the reference routes by path alone; the body is passed as text (it may be YAML).
     */
    void operate(Exchange ex, String component, String operation) {
        requireComponent(component);
        Map<String, String> params = new HashMap<>();
        ex.request.params().forEach(params::put);
        String header = ex.request.getHeader("x-session-id");
        if (header != null) {
            params.put("session_id", header);
        }
        String body = ex.body == null ? "" : ex.body.toString(StandardCharsets.UTF_8);
        ex.ok(calls.operate(component, operation, body, params));
    }

    private static String sessionFromRequest(Exchange ex) {
        String header = ex.request.getHeader("x-session-id");
        if (header != null) {
            return header;
        }
        String query = ex.request.getParam("session_id");
        return query != null ? query : DEFAULT_SESSION;
    }

    /** A string field: {@code fallback} when absent; {@code InvalidRequest} when present but not a string. */
    private static String text(JsonNode body, String field, String fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                throw Exchange.badRequest("Missing field: " + field);
            }
            return fallback;
        }
        if (!value.isString()) {
            throw Exchange.badRequest("Field " + field + " must be a string, got " + value.getNodeType().name().toLowerCase());
        }
        return value.stringValue();
    }
}
