package dev.spindle.generator.tools;

import dev.spindle.client.SpindleClient;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.ToolService;
import tools.jackson.databind.JsonNode;

/**
 * Runs one agent tool call for real in a session. Tool failures are failed {@link ToolResult}s (they
 * become tool messages); a service that cannot be reached throws, which fails the sample instead.
 */
@FunctionalInterface
public interface ToolRunner {
    ToolResult run(String sessionId, AgentTool tool, JsonNode arguments);

    /** Routes each call to its tool's component on the service (embedded runtime or {@code spindle serve}). */
    static ToolRunner on(ToolService service) {
        return (sessionId, tool, arguments) -> service.execute(new ToolCall(sessionId, tool.component(), tool.name(), arguments));
    }

    /**
     * DeepFabric's path mode ({@code tool_execute_path}): every call to one route. Unlike DeepFabric it
     * also sends {@code session_id} (Spindle keeps mock state per sample; Spin ignores it) and the token.
     */
    static ToolRunner atPath(SpindleClient client, String path) {
        return (sessionId, tool, arguments) -> client.executeAt(path, new ToolCall(sessionId, null, tool.name(), arguments));
    }
}
