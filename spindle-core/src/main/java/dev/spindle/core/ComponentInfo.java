package dev.spindle.core;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A registered component, the definitions of its tools and what it was granted, as
 * {@link Capability#describe(java.util.Set)} shows it ({@code {kind: details}}).
 */
public record ComponentInfo(String name, String description, List<ToolDefinition> tools, ObjectNode capabilities) {}
