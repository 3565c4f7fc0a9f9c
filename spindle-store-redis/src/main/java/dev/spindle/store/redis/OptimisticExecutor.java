package dev.spindle.store.redis;

import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolResult;
import dev.spindle.core.Workload;
import dev.spindle.core.runtime.CallExecutor;
import dev.spindle.core.runtime.CallRun;
import dev.spindle.core.runtime.DetachedCall;
import dev.spindle.core.runtime.ExecutableCall;
import dev.spindle.core.store.ObservedStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * How calls run on Redis: a {@link Workload#SESSION_DATA} call that reaches an event loop runs there as a
 * {@link QuickCall}, its session detached from its lock, two round trips and no thread waiting (docs/redis.md,
 * "Quick calls"); every other call, and one a quick call hands back, runs by its workload.
 */
final class OptimisticExecutor implements CallExecutor {
    private final EventLoopClient client;
    private final CallExecutor byWorkload;
    private final ObservedStore timing;

    OptimisticExecutor(EventLoopClient client, CallExecutor byWorkload, ObservedStore timing) {
        this.client = client;
        this.byWorkload = byWorkload;
        this.timing = timing;
    }

    @Override
    public CompletionStage<ToolResult> execute(ExecutableCall call) {
        Optional<DetachedCall> detached = call.workload() == Workload.SESSION_DATA && client.servesHere() ? call.detach() : Optional.empty();
        if (detached.isEmpty()) {
            return byWorkload.execute(call);
        }
        DetachedCall quick = detached.get();
        long start = System.nanoTime();
        CompletionStage<CallRun> runs;
        try {
            runs = new QuickCall(client, timing, quick).run();
        } catch (Throwable e) { // so that the call is released below whatever happens, an Error too
            runs = CompletableFuture.failedFuture(e);
        }
        return runs
                .handle((done, failure) -> {
                    quick.release();
                    return failure == null ? done : storeFailed(quick, failure, start);
                })
                .thenCompose(done -> done == null ? byWorkload.execute(call) : completedFuture(quick.served(done)));
    }

    /** Redis failed the call (unreachable, say): it answers as it would have on a thread; anything else fails the stage. */
    private static CallRun storeFailed(DetachedCall call, Throwable failure, long start) {
        Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null ? wrapped.getCause() : failure;
        if (!(cause instanceof SpindleException e)) {
            throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure);
        }
        return call.storeFailed(e, start);
    }
}
