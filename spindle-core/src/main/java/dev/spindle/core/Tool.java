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
}
