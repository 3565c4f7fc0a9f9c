package dev.spindle.core.runtime;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.Operation;
import dev.spindle.core.SpindleException;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The registered components, each with its grant, and the one place a call's names are resolved to a
 * component and a tool ({@link #resolve}), so that the rest of a call never looks them up again. The
 * messages for an unknown component or tool are written here, for every way of calling tools.
 */
final class ComponentRegistry {
    /** The runtime's log, under the name operators filter on. */
    private static final Logger LOG = Logger.getLogger(ToolRuntime.class.getName());

    private final Map<String, Component> components;
    private final Map<String, ComponentGrant> grants = new LinkedHashMap<>();

    ComponentRegistry(Map<String, Component> components) {
        this.components = components;
    }

    /** Grants each component what it declares and hands it its grant; once, before any call. */
    void attach(Function<Component, ComponentGrant> grant) {
        components.values().forEach(c -> grants.put(c.name(), grant.apply(c)));
        components.values().forEach(c -> c.attach(grants.get(c.name())));
    }

    /**
     * The call with its component and tool: the named component's tool, or the first component's with that
     * name when none is named; no tool when there is none ({@link #unknownTool} answers it). An unknown
     * component named is {@code UnknownComponent}.
     */
    ResolvedCall resolve(ToolCall call) {
        JsonNode args = call.arguments() == null || call.arguments().isNull() ? Json.object() : call.arguments();
        if (call.component() != null) {
            Component component = component(call.component());
            return new ResolvedCall(call.sessionId(), call.tool(), component, component.tool(call.tool()).orElse(null), args);
        }
        for (Component candidate : components.values()) {
            Optional<Tool> tool = candidate.tool(call.tool());
            if (tool.isPresent()) {
                return new ResolvedCall(call.sessionId(), call.tool(), candidate, tool.get(), args);
            }
        }
        return new ResolvedCall(call.sessionId(), call.tool(), null, null, args);
    }

    ComponentGrant grant(Component component) {
        return grants.get(component.name());
    }

    boolean has(String name) {
        return components.containsKey(name);
    }

    Component component(String name) {
        Component component = components.get(name);
        if (component == null) {
            throw unknownComponent(name, components.keySet());
        }
        return component;
    }

    /** {@code UnknownComponent}, naming what can be called instead. */
    static SpindleException unknownComponent(String name, Iterable<String> available) {
        return new SpindleException(ErrorType.UnknownComponent, "Unknown component: " + name + ". Available: " + String.join(", ", available));
    }

    /** The answer to a call whose tool does not exist, in its component or in any. */
    ToolResult unknownTool(ResolvedCall call) {
        Component scope = call.component();
        var names = (scope == null ? components.values().stream() : Stream.of(scope))
                .flatMap(c -> c.tools().stream()).map(t -> t.definition().name()).distinct().toList();
        if (names.isEmpty() && scope != null) {
            return ToolResult.failure(ErrorType.UnknownTool, "Unknown tool: " + call.toolName() + ". Component " + scope.name() + " has no tools yet");
        }
        return ToolResult.unknownTool(call.toolName(), names);
    }

    JsonNode operate(String componentName, String operation, String body, Map<String, String> params) {
        Component component = component(componentName);
        Operation op = component.operations().get(operation);
        if (op == null) {
            throw new SpindleException(HttpError.NotFound, "Component " + componentName + " has no operation '" + operation + "'"
                    + (component.operations().isEmpty() ? "" : "; it has: " + String.join(", ", component.operations().keySet())));
        }
        return op.handle(body, params);
    }

    List<ComponentInfo> infos() {
        List<ComponentInfo> infos = new ArrayList<>();
        components.values().forEach(c -> infos.add(new ComponentInfo(c.name(), c.description(),
                c.tools().stream().map(Tool::definition).toList(), Capability.describe(c.capabilities()))));
        return infos;
    }

    Map<String, String> warnings() {
        Map<String, String> warnings = new LinkedHashMap<>();
        components.values().forEach(c -> c.warning().ifPresent(w -> warnings.put(c.name(), w)));
        return warnings;
    }

    Map<String, ObjectNode> health() {
        Map<String, ObjectNode> health = new LinkedHashMap<>();
        components.values().forEach(c -> c.health().ifPresent(h -> health.put(c.name(), h)));
        return health;
    }

    /** A component failing to forget a session must not fail the close, nor keep others from hearing of it. */
    void sessionClosed(String sessionId) {
        for (Component component : components.values()) {
            try {
                component.sessionClosed(sessionId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=session_closed_hook_failed component=" + component.name(), e);
            }
        }
    }
}
