package dev.spindle.core;

import tools.jackson.databind.JsonNode;

/**
 * A request to run one tool. {@code component} may be null: the tool is then found by name across
 * components (first registered wins on a clash). {@code arguments} may be null (no arguments).
 */
public record ToolCall(String sessionId, String component, String tool, JsonNode arguments) {}
