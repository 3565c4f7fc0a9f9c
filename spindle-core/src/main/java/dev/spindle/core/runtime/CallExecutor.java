package dev.spindle.core.runtime;

import dev.spindle.core.ToolResult;
import java.util.concurrent.CompletionStage;

/**
 * Where and how a resolved call runs, chosen once for a runtime: by its tool's {@link dev.spindle.core.Workload}
 * ({@link #BY_WORKLOAD}), unless the store offers an executor of its own
 * ({@link dev.spindle.core.store.KeyValueStore#callExecutor}) that serves some calls its way and hands the rest
 * to that default. Sees each call once. See docs/architecture.md, "How a call travels".
 */
@FunctionalInterface
public interface CallExecutor {
    /** The default: a compute call on the compute pool, one that may block on a worker, the rest here. */
    CallExecutor BY_WORKLOAD = ExecutableCall::runByWorkload;

    /** Runs the call; the stage may complete on another thread, and carries every failure. */
    CompletionStage<ToolResult> execute(ExecutableCall call);
}
