package dev.spindle.core.runtime;

import dev.spindle.core.Component;
import dev.spindle.core.Tool;
import dev.spindle.core.Workload;
import tools.jackson.databind.JsonNode;

/**
 * A call as {@link ComponentRegistry#resolve} found it, once: its session, the tool it names, and the
 * component and tool that serve it ({@code tool} null when there is none, {@code component} null when no
 * component has it either). What the call needs to run (a worker, the compute pool) is read from here.
 */
record ResolvedCall(String sessionId, String toolName, Component component, Tool tool, JsonNode args) {
    /** The component's name for metrics, logs and the trace; null when the tool is unknown everywhere. */
    String componentName() {
        return component == null ? null : component.name();
    }

    /** True when the call keeps a core busy: it runs on the compute pool, whoever asks. */
    boolean computes() {
        return tool != null && tool.workload() == Workload.COMPUTE;
    }

    /** True when the tool does nothing but work on its session's data in the store. */
    boolean onlySessionData() {
        return tool != null && tool.workload() == Workload.SESSION_DATA;
    }
}
