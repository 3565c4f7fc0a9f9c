package dev.spindle.core.runtime;

import dev.spindle.core.ToolResult;
import dev.spindle.core.store.KeyValueStore;
import java.util.List;

/**
 * One stage of a tool call's run, as OkHttp's interceptors are: it answers the call itself, or hands it to
 * the rest of the list with {@link Chain#proceed} and may look at (or map) what comes back. The pipeline's
 * list is {@link CallPipeline}'s; adding a concern is one line there.
 */
@FunctionalInterface
interface CallInterceptor {
    ToolResult intercept(Run run, Chain next);

    /** The call, its live session, and the store it sees (the store, or a quick call's view of it). */
    record Run(ResolvedCall call, LiveSession session, KeyValueStore store) {}

    /** The rest of the list, from one stage on. */
    final class Chain {
        private final List<CallInterceptor> stages;
        private final int index;

        private Chain(List<CallInterceptor> stages, int index) {
            this.stages = stages;
            this.index = index;
        }

        ToolResult proceed(Run run) {
            if (index == stages.size()) {
                throw new IllegalStateException("the last stage of a tool call must answer it, not proceed");
            }
            return stages.get(index).intercept(run, new Chain(stages, index + 1));
        }
    }

    /** Runs {@code run} through {@code stages}, the first one first. */
    static ToolResult run(List<CallInterceptor> stages, Run run) {
        return new Chain(stages, 0).proceed(run);
    }
}
