package dev.spindle.core.runtime;

import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolResult;
import dev.spindle.core.Workload;
import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.KeyValueStore;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** A resolved call handed to the runtime's {@link CallExecutor}, with the server's workers for calls that may block. */
final class PlacedCall implements ExecutableCall {
    private final CallPipeline pipeline;
    private final ResolvedCall call;
    private final Executor blocking;

    PlacedCall(CallPipeline pipeline, ResolvedCall call, Executor blocking) {
        this.pipeline = pipeline;
        this.call = call;
        this.blocking = blocking;
    }

    @Override
    public String sessionId() {
        return call.sessionId();
    }

    @Override
    public String toolName() {
        return call.toolName();
    }

    @Override
    public Workload workload() {
        return call.tool() == null ? null : call.tool().workload();
    }

    @Override
    public CompletionStage<ToolResult> runByWorkload() {
        if (call.computes()) {
            return pipeline.onExecutor(call, pipeline.compute);
        }
        return pipeline.needsThread(call) ? pipeline.onExecutor(call, blocking) : completedFuture(pipeline.execute(call));
    }

    @Override
    public Optional<DetachedCall> detach() {
        if (!call.onlySessionData()) {
            return Optional.empty();
        }
        LiveSession session = pipeline.sessions.leaseDetached(call.sessionId());
        if (session == null) {
            return Optional.empty();
        }
        Optional<BoundedLog> trace = session.trace.inStore();
        if (trace.isEmpty()) {
            session.detachedCallDone();
            return Optional.empty();
        }
        return Optional.of(new Detached(session, trace.get()));
    }

    private final class Detached implements DetachedCall {
        private final LiveSession session;
        private final BoundedLog trace;

        Detached(LiveSession session, BoundedLog trace) {
            this.session = session;
            this.trace = trace;
        }

        @Override
        public String sessionId() {
            return session.id;
        }

        @Override
        public BoundedLog trace() {
            return trace;
        }

        @Override
        public CallRun run(KeyValueStore view) {
            return pipeline.serve(call, session, view);
        }

        @Override
        public byte[] traceEntry(CallRun run) {
            return StoredTrace.entry(run.at(), run.component(), call.toolName(), call.args(), run.result(), run.micros());
        }

        @Override
        public CallRun storeFailed(SpindleException failure, long startNanos) {
            return pipeline.storeFailed(call, session.id, failure, startNanos);
        }

        @Override
        public void release() {
            session.detachedCallDone();
        }

        @Override
        public ToolResult served(CallRun run) {
            pipeline.served(call, session.id, run);
            return run.result();
        }
    }
}
