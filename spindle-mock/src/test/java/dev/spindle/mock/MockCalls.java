package dev.spindle.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import tools.jackson.databind.JsonNode;

/** Calls of mock tools in-process, as the tests make them. */
final class MockCalls {
    private MockCalls() {}

    static ToolResult call(ToolRuntime runtime, String session, String tool, String args) {
        return runtime.execute(new ToolCall(session, "mock", tool, Json.parse(args)));
    }

    /** The answer of a call that must succeed. */
    static JsonNode ok(ToolRuntime runtime, String session, String tool, String args) {
        ToolResult result = call(runtime, session, tool, args);
        assertThat(result.success()).as(result.result()).isTrue();
        return result.value();
    }
}
