package dev.spindle.core.runtime;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.Workload;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.ObservedStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs tool calls: resolves each once ({@link ComponentRegistry#resolve}), hands it to the runtime's
 * {@link CallExecutor}, which decides where it runs, runs it in its session and records it in the session's
 * trace, then tells the metrics and the log. See docs/architecture.md, "How a call travels".
 */
final class CallPipeline {
    /** The runtime's log, under the name operators filter on. */
    private static final Logger LOG = Logger.getLogger(ToolRuntime.class.getName());

    private final ObservedStore store;
    private final ComponentRegistry registry;
    final Sessions sessions;
    private final SessionFileRules files;
    private final CallExecutor executor;
    /** Compiled argument schemas; far more than any catalogue holds at once. */
    final ValidatorCache validators = new ValidatorCache(4_096);
    /** Where {@link Workload#COMPUTE} calls run. */
    final ComputePool compute;
    private volatile CallObserver observer = CallObserver.NONE;
    /**
     * What one run of a call passes, in order; the last one calls the tool. A call its executor detached may
     * run these more than once (see {@link DetachedCall}); what happens once per call (the session's lease
     * and trace, metrics, the log) is outside them.
     */
    private final List<CallInterceptor> interceptors = List.of(this::answerUnknownTool, CallPipeline::mapCrashes, this::validateArguments, this::callTool);
    /**
     * What happens once per call, in order, with the run that counted: the metrics, then the log. Not
     * interceptors, since a detached call may pass those more than once and only its executor knows which run
     * it committed; the trace is neither (see docs/architecture.md, "Once per call").
     */
    private final List<ServedStage> onceServed = List.of(this::meter, CallPipeline::log);

    /** One thing done once per call served. */
    @FunctionalInterface
    private interface ServedStage {
        void served(ResolvedCall call, String sessionId, CallRun run);
    }

    CallPipeline(ObservedStore store, ComponentRegistry registry, Sessions sessions, SessionFileRules files, ComputePool compute,
            CallExecutor executor) {
        this.store = store;
        this.executor = executor;
        this.registry = registry;
        this.sessions = sessions;
        this.files = files;
        this.compute = compute;
    }

    void observe(CallObserver observer) {
        this.observer = observer;
    }

    /** Runs the call; a compute call on the compute pool, this thread waiting for it ({@code Overloaded} past its queue). */
    ToolResult execute(ToolCall call) {
        return execute(registry.resolve(call));
    }

    ToolResult execute(ResolvedCall call) {
        return call.computes() ? compute.run(() -> executeHere(call)) : executeHere(call);
    }

    private ToolResult executeHere(ResolvedCall call) {
        CallRun served = sessions.leaseForCall(call.sessionId(), !call.onlySessionData(), session -> {
            CallRun done = serve(call, session, store);
            served(call, session.id, done);
            return done;
        }, (trace, done) -> trace.add(done.at(), done.component(), call.toolName(), call.args(), done.result(), done.micros()));
        return served.result();
    }

    /** See {@link ToolCalls#executeAsync}: the call goes to the executor, once. */
    CompletionStage<ToolResult> executeAsync(ToolCall toolCall, Executor blocking) {
        try {
            return executor.execute(new PlacedCall(this, registry.resolve(toolCall), blocking));
        } catch (Throwable e) { // the stage carries every failure, an Error (a bug) too: the adapter answers it
            return CompletableFuture.failedFuture(e);
        }
    }

    /** True when running the call on this thread could block it: store I/O that blocks, or a tool that does more than store work. */
    boolean needsThread(ResolvedCall call) {
        return store.blocking() || call.tool() != null && call.tool().workload() != Workload.SESSION_DATA;
    }

    /** Runs the call on {@code executor}; what it or the call throws (overloaded, an Error...) fails the stage. */
    CompletionStage<ToolResult> onExecutor(ResolvedCall call, Executor executor) {
        CompletableFuture<ToolResult> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(execute(call));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Runs the call through {@link #interceptors} with {@code view} as its store, timed. */
    CallRun serve(ResolvedCall call, LiveSession session, KeyValueStore view) {
        long start = System.nanoTime();
        ToolResult result = CallInterceptor.run(interceptors, new CallInterceptor.Run(call, session, view));
        return new CallRun(call.componentName(), result, Instant.now(), System.nanoTime() - start);
    }

    /** Tells each of {@link #onceServed} of a call served, once. */
    void served(ResolvedCall call, String sessionId, CallRun done) {
        onceServed.forEach(stage -> stage.served(call, sessionId, done));
    }

    private void meter(ResolvedCall call, String sessionId, CallRun done) {
        ToolResult result = done.result();
        observer.called(done.component(), call.toolName(), result.success() ? null : result.errorType(), done.nanos());
    }

    private static void log(ResolvedCall call, String sessionId, CallRun done) {
        ToolResult result = done.result();
        LOG.fine(() -> "event=tool_call session=" + sessionId + " component=" + done.component() + " tool=" + call.toolName()
                + " success=" + result.success() + (result.success() ? "" : " error_type=" + result.errorType()) + " duration_us=" + done.micros());
    }

    /** A call whose store failed it while it held no thread: the failure is its answer, untraced (the trace is in the store too). */
    CallRun storeFailed(ResolvedCall call, String sessionId, SpindleException failure, long startNanos) {
        LOG.warning(() -> "event=trace_lost session=" + sessionId + " tool=" + call.toolName() + " error=" + failure.getMessage());
        return new CallRun(call.componentName(), ToolResult.failure(failure), Instant.now(), System.nanoTime() - startNanos);
    }

    /** An unknown tool is answered with what can be called instead; nothing further runs. */
    private ToolResult answerUnknownTool(CallInterceptor.Run run, CallInterceptor.Chain next) {
        return run.call().tool() == null ? registry.unknownTool(run.call()) : next.proceed(run);
    }

    /** A tool's failure is its result; anything else it throws is a bug in the tool, logged, and answered as such. */
    private static ToolResult mapCrashes(CallInterceptor.Run run, CallInterceptor.Chain next) {
        try {
            return next.proceed(run);
        } catch (SpindleException e) {
            return ToolResult.failure(e);
        } catch (RunSuspended e) { // the store view stopped the run, which runs again
            throw e;
        } catch (RuntimeException e) {
            String name = run.call().tool().definition().name();
            LOG.log(Level.WARNING, "event=tool_crashed component=" + run.call().componentName() + " tool=" + name, e);
            return ToolResult.failure(ErrorType.ComponentFailed, "Tool " + name + " failed unexpectedly: " + e.getClass().getSimpleName());
        }
    }

    /** Arguments are a JSON object that the tool's schema accepts, or {@code InvalidArguments}. */
    private ToolResult validateArguments(CallInterceptor.Run run, CallInterceptor.Chain next) {
        if (!(run.call().args() instanceof ObjectNode object)) {
            throw new SpindleException(ErrorType.InvalidArguments,
                    "Arguments must be a JSON object, got " + run.call().args().getNodeType().name().toLowerCase());
        }
        validators.get(run.call().tool().definition()).check(object);
        return next.proceed(run);
    }

    private ToolResult callTool(CallInterceptor.Run run, CallInterceptor.Chain next) {
        ResolvedCall call = run.call();
        return ToolResult.ok(call.tool().call(new CallContext(run.session(), registry.grant(call.component()), run.store(), files), (ObjectNode) call.args()));
    }
}
