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
     * What a call does with the machine and with its session, and so where it runs (see {@link Workload}).
     * Decided per tool, so that the file tools of a component stay on the fast path while its other tools do
     * not. By default {@link Workload#OUTSIDE}: a tool that says nothing runs on a worker, where nothing it
     * does can hold up other calls, and keeps what it likes of a session in memory.
     */
    default Workload workload() {
        return Workload.OUTSIDE;
    }
}
