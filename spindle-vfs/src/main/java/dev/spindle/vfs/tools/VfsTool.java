package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import dev.spindle.core.files.SessionFiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** A VFS tool: works on the session's files and answers text, as the Spin wire carries it. */
abstract class VfsTool implements Tool {
    private final ToolDefinition definition;

    VfsTool(String name, String description, ObjectNode inputSchema, ObjectNode hints) {
        this.definition = new ToolDefinition(name, description, inputSchema, hints);
    }

    @Override
    public final ToolDefinition definition() {
        return definition;
    }

    @Override
    public final JsonNode call(ToolContext context, ObjectNode arguments) {
        return StringNode.valueOf(run(context.files(), new Arguments(arguments)));
    }

    /** A session's files are all in the store; the tools that read every file say otherwise. */
    @Override
    public Workload workload() {
        return Workload.SESSION_DATA;
    }

    abstract String run(SessionFiles files, Arguments args);
}
