package dev.spindle.core.runtime;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The components and running their tools: what an adapter that calls tools (HTTP, MCP, OpenEnv, tasks)
 * depends on. A call's trace, metrics and logging happen inside; see docs/architecture.md.
 */
public interface ToolCalls {
    /** Runs the call on this thread (a compute call on the compute pool, this thread waiting for it). */
    ToolResult execute(ToolCall call);

    /**
     * Runs the call as {@link #execute} does, by the runtime's {@link CallExecutor}: by default a compute call
     * on the compute pool, no thread waiting for it, a call that may block on {@code blocking}, the rest here;
     * a store's own executor may serve some calls without holding this thread while the store answers (Redis
     * on a server's event loop: docs/redis.md). The stage may complete on another thread.
     */
    CompletionStage<ToolResult> executeAsync(ToolCall call, Executor blocking);

    List<ComponentInfo> components();

    boolean hasComponent(String name);

    /** {@code UnknownComponent}, naming the components there are, unless there is one of that name. */
    void requireComponent(String name);

    /** One of a component's non-tool operations ({@code /mock/load-schema}...), its body as text (it may be YAML). */
    JsonNode operate(String component, String operation, String body, Map<String, String> params);

    /** Like {@link #operate(String, String, String, Map)} with a JSON body and no parameters. */
    JsonNode operate(String component, String operation, JsonNode body);

    /** Each component's {@code Component#warning}, by component name; only those that have one. */
    Map<String, String> warnings();

    /** Each component's {@code Component#health}, by component name; only those that show one. */
    Map<String, ObjectNode> health();

    /** Compute calls (code, WebAssembly, scripts) running or waiting for a compute thread now. */
    int computePending();
}
