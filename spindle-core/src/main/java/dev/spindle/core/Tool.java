package dev.spindle.core;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One tool: its MCP definition and what it does. Arguments have been validated against
 * {@code definition().inputSchema()} before {@link #call} runs. A failure is a {@link SpindleException}.
 */
public interface Tool {
    ToolDefinition definition();

    JsonNode call(ToolContext context, ObjectNode arguments);

    /**
     * True when a call may take real time whatever the store (a regex, a glob over every file, a
     * WebAssembly run): adapters then run it off their event loop. Decided per tool, so that the quick
     * tools of a component stay on the fast path.
     */
    default boolean mayBlock() {
        return false;
    }
}
