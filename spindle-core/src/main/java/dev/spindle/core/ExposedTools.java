package dev.spindle.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names under which every component's tools are offered to an agent: a tool keeps its name unless an
 * earlier registered component already uses it, or the protocol reserves it; then it is
 * {@code <component>__<tool>}, a name every LLM API accepts.
 */
public final class ExposedTools {
    /** One offered tool: the component that serves it and its definition (under its own name). */
    public record Exposed(String component, ToolDefinition definition) {}

    private ExposedTools() {}

    /** Exposed name to tool, in registration order; {@code reserved} names are always prefixed. */
    public static Map<String, Exposed> of(List<ComponentInfo> components, Set<String> reserved) {
        Map<String, Exposed> exposed = new LinkedHashMap<>();
        for (ComponentInfo component : components) {
            for (ToolDefinition tool : component.tools()) {
                boolean taken = exposed.containsKey(tool.name()) || reserved.contains(tool.name());
                exposed.put(taken ? prefixed(component.name(), tool.name()) : tool.name(), new Exposed(component.name(), tool));
            }
        }
        return exposed;
    }

    /** {@code <component>__<tool>}: the name a tool is offered under when its own is taken or reserved. */
    public static String prefixed(String component, String tool) {
        return component + "__" + tool;
    }
}
