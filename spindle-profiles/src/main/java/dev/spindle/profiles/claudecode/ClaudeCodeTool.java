package dev.spindle.profiles.claudecode;

import dev.spindle.core.Arguments;
import dev.spindle.core.ToolContext;
import dev.spindle.profiles.ProfileTool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** A Claude Code tool: answers the text Claude Code puts in its tool result. */
abstract class ClaudeCodeTool extends ProfileTool {
    ClaudeCodeTool(String name) {
        super(name);
    }

    @Override
    public final JsonNode call(ToolContext context, ObjectNode arguments) {
        return StringNode.valueOf(run(context, new Arguments(arguments)));
    }

    abstract String run(ToolContext context, Arguments args);
}
