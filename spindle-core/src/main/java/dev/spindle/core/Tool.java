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
     * What a call does with the machine, and so where it runs (see {@link Workload}). Decided per tool, so
     * that the quick tools of a component stay on the fast path. By default {@link Workload#OUTSIDE} for a
     * tool that says it {@link #mayBlock}, else {@link Workload#SESSION_DATA}.
     */
    default Workload workload() {
        return mayBlock() ? Workload.OUTSIDE : Workload.SESSION_DATA;
    }

    /**
     * True when a call may take real time whatever the store (a regex, a glob over every file): it then
     * runs on a worker, off the event loop. The older way to say {@link Workload#OUTSIDE}; a tool that
     * overrides {@link #workload} need not override this.
     */
    default boolean mayBlock() {
        return false;
    }
}
