package dev.spindle.store.redis;

import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.spindle.core.runtime.CallRun;
import dev.spindle.core.runtime.DetachedCall;
import dev.spindle.core.runtime.RunSuspended;
import dev.spindle.core.store.ObservedStore;
import java.util.concurrent.CompletionStage;

/**
 * A file call served on the event loop, no thread waiting for Redis (docs/redis.md, "Quick calls"): the tool
 * runs against {@link PrefetchedData}; each time it meets a value not fetched yet it stops, what it lacked is
 * fetched (one round trip), and it runs again; once it runs through, its changes and its trace entry are
 * committed in one round trip, if the session did not change since its values were read, else it runs again
 * on fresh values. A read-only call commits its entry whatever the version: its reads were one consistent
 * state, and a write since then merely comes after it. At most {@value #MAX_RUNS} runs; past them, or when the
 * tool asks for what only a thread can do, or when the commit finds the session gone, it completes with null,
 * having left nothing behind, and the call is handed back to run on a thread.
 */
final class QuickCall {
    static final int MAX_RUNS = 8;

    private final EventLoopClient client;
    private final ObservedStore timing;
    private final DetachedCall call;
    private final PrefetchedData data;
    private int runs;

    QuickCall(EventLoopClient client, ObservedStore timing, DetachedCall call) {
        this.client = client;
        this.timing = timing;
        this.call = call;
        this.data = new PrefetchedData(call.sessionId());
    }

    /** The run committed; null when the call must run on a thread. Fails when Redis does. */
    CompletionStage<CallRun> run() {
        if (++runs > MAX_RUNS) {
            return completedFuture(null);
        }
        data.begin();
        CallRun made;
        try {
            made = call.run(data);
        } catch (RunSuspended stopped) {
            made = null;
        }
        if (data.handBack()) {
            return completedFuture(null);
        }
        if (data.stopped()) {
            return timing.timed("fetch", client.fetch(call.sessionId(), data.toFetch()), fetched -> "ok").thenCompose(fetched -> {
                data.accept(fetched);
                return run();
            });
        }
        CallRun done = made;
        CompletionStage<Long> commit = client.commit(call.sessionId(), data.expectedVersion(), data.changes(), call.trace(), call.traceEntry(done));
        return timing.timed("commit", commit, QuickCall::outcome).thenCompose(seq -> {
            if (seq == EventLoopClient.CONFLICT) {
                data.forgetFetched();
                return run();
            }
            return completedFuture(seq == EventLoopClient.OWNER_GONE ? null : done);
        });
    }

    private static String outcome(long seq) {
        return seq == EventLoopClient.CONFLICT ? "conflict" : seq == EventLoopClient.OWNER_GONE ? "gone" : "ok";
    }
}
