package dev.spindle.core.runtime;

import static java.util.concurrent.CompletableFuture.completedFuture;

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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs tool calls: resolves each once ({@link ComponentRegistry#resolve}), decides where it runs (here, a
 * worker, the compute pool, or as a {@link QuickCall} on a store that waits without blocking), runs it in
 * its session and records it in the session's trace, then tells the metrics and the log. See
 * docs/architecture.md, "How a call travels".
 */
final class CallPipeline {
    /** The runtime's log, under the name operators filter on. */
    private static final Logger LOG = Logger.getLogger(ToolRuntime.class.getName());

    private final ObservedStore store;
    private final ComponentRegistry registry;
    private final Sessions sessions;
    private final SessionFileRules files;
    /** Compiled argument schemas; far more than any catalogue holds at once. */
    final ValidatorCache validators = new ValidatorCache(4_096);
    /** Where {@link Workload#COMPUTE} calls run. */
    final ComputePool compute;
    private volatile CallObserver observer = CallObserver.NONE;
    /**
     * What one run of a call passes, in order; the last one calls the tool. A quick call may run these more
     * than once (see {@link QuickCall}); what happens once per call (the session's lease and trace, metrics,
     * the log) is {@link #execute}'s and {@link #executeAsync}'s.
     */
    private final List<CallInterceptor> interceptors = List.of(this::answerUnknownTool, CallPipeline::mapCrashes, this::validateArguments, this::callTool);

    CallPipeline(ObservedStore store, ComponentRegistry registry, Sessions sessions, SessionFileRules files, ComputePool compute) {
        this.store = store;
        this.registry = registry;
        this.sessions = sessions;
        this.files = files;
        this.compute = compute;
    }

    void observe(CallObserver observer) {
        this.observer = observer;
    }

    /** See {@link ToolRuntime#mayBlock}. */
    boolean mayBlock(String componentName, String toolName) {
        if (componentName != null && !registry.has(componentName)) {
            return false;
        }
        ResolvedCall call = registry.resolve(new ToolCall(null, componentName, toolName, null));
        return needsThread(call) && !runsQuickly(call);
    }

    /** True when running the call on this thread could block it: store I/O that blocks, or a tool that does more than store work. */
    private boolean needsThread(ResolvedCall call) {
        return store.blocking() || call.tool() != null && call.tool().workload() != Workload.SESSION_DATA;
    }

    /**
     * True when the call can run as a {@link QuickCall} on this thread: the store waits without blocking here,
     * and the tool does nothing but work on its session's data in the store, so a run of it can be repeated.
     */
    private boolean runsQuickly(ResolvedCall call) {
        return store.servesHere() && call.onlySessionData();
    }

    /** Runs the call; a compute call on the compute pool, this thread waiting for it ({@code Overloaded} past its queue). */
    ToolResult execute(ToolCall call) {
        return execute(registry.resolve(call));
    }

    private ToolResult execute(ResolvedCall call) {
        return call.computes() ? compute.run(() -> executeHere(call)) : executeHere(call);
    }

    private ToolResult executeHere(ResolvedCall call) {
        Served served = sessions.leaseForCall(call.sessionId(), !call.onlySessionData(), session -> {
            Served done = serve(call, session, store);
            served(call, session.id, done);
            return done;
        }, (trace, done) -> trace.add(done.at, done.component, call.toolName(), call.args(), done.result, done.micros()));
        return served.result;
    }

    /** See {@link ToolCalls#executeAsync}. */
    CompletionStage<ToolResult> executeAsync(ToolCall toolCall, Executor blocking) {
        try {
            ResolvedCall call = registry.resolve(toolCall);
            if (call.computes()) {
                return onExecutor(call, compute);
            }
            LiveSession state = runsQuickly(call) ? sessions.leaseForQuickCall(call.sessionId()) : null;
            if (state == null || !(state.trace instanceof StoredTrace trace)) {
                if (state != null) {
                    state.quickCallDone();
                }
                return needsThread(call) ? onExecutor(call, blocking) : completedFuture(execute(call));
            }
            long start = System.nanoTime();
            CompletionStage<Served> quick;
            try {
                quick = new QuickCall<>(store, state.id, trace.log(), view -> serve(call, state, view),
                        done -> StoredTrace.entry(done.at, done.component, call.toolName(), call.args(), done.result, done.micros())).run();
            } catch (Throwable e) { // so that the call is counted out below whatever happens, an Error too
                quick = CompletableFuture.failedFuture(e);
            }
            return quick
                    .handle((done, failure) -> {
                        state.quickCallDone();
                        return failure == null ? done : storeFailed(call, state.id, failure, start);
                    })
                    .thenCompose(done -> {
                        if (done == null) {
                            return onExecutor(call, blocking);
                        }
                        served(call, state.id, done);
                        return completedFuture(done.result);
                    });
        } catch (Throwable e) { // the stage carries every failure, an Error (a bug) too: the adapter answers it
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A quick call the store failed (unreachable, say) answers as the tool would have run on a thread:
     * with the store's error as the call's failure, untraced, since the trace is in the store too.
     */
    private static Served storeFailed(ResolvedCall call, String sessionId, Throwable failure, long start) {
        Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null ? wrapped.getCause() : failure;
        if (!(cause instanceof SpindleException e)) {
            throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure);
        }
        LOG.warning(() -> "event=trace_lost session=" + sessionId + " tool=" + call.toolName() + " error=" + e.getMessage());
        return new Served(call.componentName(), ToolResult.failure(e), Instant.now(), System.nanoTime() - start);
    }

    /** Runs the call on {@code executor}; what it or the call throws (overloaded, an Error...) fails the stage. */
    private CompletionStage<ToolResult> onExecutor(ResolvedCall call, Executor executor) {
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

    /** One run of a call: its result, when it ended and how long it took. */
    private record Served(String component, ToolResult result, Instant at, long nanos) {
        long micros() {
            return nanos / 1000;
        }
    }

    /** Runs the call through {@link #interceptors} with {@code view} as its store, timed. */
    private Served serve(ResolvedCall call, LiveSession session, KeyValueStore view) {
        long start = System.nanoTime();
        ToolResult result = CallInterceptor.run(interceptors, new CallInterceptor.Run(call, session, view));
        return new Served(call.componentName(), result, Instant.now(), System.nanoTime() - start);
    }

    /** Tells the observer (metrics) and the log of a call served, once. */
    private void served(ResolvedCall call, String sessionId, Served done) {
        ToolResult result = done.result;
        observer.called(done.component, call.toolName(), result.success() ? null : result.errorType(), done.nanos);
        LOG.fine(() -> "event=tool_call session=" + sessionId + " component=" + done.component + " tool=" + call.toolName()
                + " success=" + result.success() + (result.success() ? "" : " error_type=" + result.errorType()) + " duration_us=" + done.micros());
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
        } catch (PrefetchedData.Pending e) { // a quick call's run stops here for the values it lacks
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
