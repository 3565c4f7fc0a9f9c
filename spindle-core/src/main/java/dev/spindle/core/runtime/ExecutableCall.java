package dev.spindle.core.runtime;

import dev.spindle.core.ToolResult;
import dev.spindle.core.Workload;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** A call as a {@link CallExecutor} gets it: resolved once, not run yet. */
public interface ExecutableCall {
    String sessionId();

    String toolName();

    /** The tool's workload; null when no component has the tool (the call answers so, here). */
    Workload workload();

    /** Runs the call as {@link CallExecutor#BY_WORKLOAD} does, in its session, traced, metered and logged. */
    CompletionStage<ToolResult> runByWorkload();

    /**
     * The call let into its session without the session's lock, for an executor that waits for the store
     * without a thread; empty, and nothing held, when that cannot be: the tool is not
     * {@link Workload#SESSION_DATA}, the session is not known here (loading it reads the store), it is being
     * closed, its use is due to be written to the store, or its trace is not in the store.
     */
    Optional<DetachedCall> detach();
}
