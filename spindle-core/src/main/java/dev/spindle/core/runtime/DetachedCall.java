package dev.spindle.core.runtime;

import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolResult;
import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.KeyValueStore;

/**
 * A call in its session without the session's lock ({@link ExecutableCall#detach}), for an executor that commits
 * the call's changes and its trace entry itself, in one step. Until {@link #release} the session is not closed:
 * closing waits for it. Whether another instance closed it is not checked; the commit finds that.
 */
public interface DetachedCall {
    String sessionId();

    /** The session's trace in the store, which the call's entry goes to. */
    BoundedLog trace();

    /** One run through the pipeline's interceptors with {@code view} as the store; may end in {@link RunSuspended}. */
    CallRun run(KeyValueStore view);

    /** The trace entry of {@code run}, as the trace stores it (the store numbers it). */
    byte[] traceEntry(CallRun run);

    /** What a call answers whose store failed it (unreachable, say): that failure, untraced, since the trace is in the store too. */
    CallRun storeFailed(SpindleException failure, long startNanos);

    /** Lets the session be closed again; once, before {@link #served} or handing the call back. */
    void release();

    /** Tells the metrics and the log of the committed {@code run}, once; answers its result. */
    ToolResult served(CallRun run);
}
