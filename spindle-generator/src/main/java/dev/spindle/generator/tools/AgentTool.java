package dev.spindle.generator.tools;

import dev.spindle.core.ToolDefinition;

/** A tool the agent may call: its definition, and the component that runs it (null: any that has it). */
public record AgentTool(ToolDefinition definition, String component) {
    public String name() {
        return definition.name();
    }
}
