package dev.spindle.core;

import java.util.List;

/** A registered component and the definitions of its tools. */
public record ComponentInfo(String name, String description, List<ToolDefinition> tools) {}
