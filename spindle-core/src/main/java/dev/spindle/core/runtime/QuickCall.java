package dev.spindle.core.runtime;

import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.OptimisticStore;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A call that does nothing but store work, served by an {@link OptimisticStore} without a thread waiting:
 * the tool runs against {@link PrefetchedData}; each time it meets a value not fetched yet it stops, the
 * store fetches what it lacked (one round trip), and it runs again; once it runs through, its changes and its
 * trace entry are committed in one round trip, if the session did not change since its values were read,
 * else it runs again on fresh values. A read-only call commits its entry whatever the version: its reads
 * were one consistent state, and a write since then merely comes after it. At most {@value #MAX_RUNS} runs;
 * past them, or when the tool asks for what only the blocking way can do, or when the commit finds the
 * session gone, it completes with null, having left nothing behind, and the caller runs it the blocking way.
 *
 * @param <T> what a run makes: the tool's result, timed
 */
final class QuickCall<T> {
    static final int MAX_RUNS = 8;

    private final OptimisticStore store;
    private final String session;
    private final BoundedLog log;
    private final Function<KeyValueStore, T> body;
    private final Function<T, byte[]> entry;
    private final PrefetchedData data;
    private int runs;

    /** {@code body} runs the tool against the store view it is given; {@code entry} is a run's trace entry. */
    QuickCall(OptimisticStore store, String session, BoundedLog log, Function<KeyValueStore, T> body, Function<T, byte[]> entry) {
        this.store = store;
        this.session = session;
        this.log = log;
        this.body = body;
        this.entry = entry;
        this.data = new PrefetchedData(session);
    }

    /** What the call made once committed; null when it must go the blocking way. Fails when the store does. */
    CompletionStage<T> run() {
        if (++runs > MAX_RUNS) {
            return completedFuture(null);
        }
        data.begin();
        T made;
        try {
            made = body.apply(data);
        } catch (PrefetchedData.Pending stopped) {
            made = null;
        }
        if (data.elsewhere()) {
            return completedFuture(null);
        }
        if (data.stopped()) {
            return store.fetch(session, data.toFetch()).thenCompose(fetched -> {
                data.accept(fetched);
                return run();
            });
        }
        T done = made;
        return store.commit(session, data.expectedVersion(), data.changes(), log, entry.apply(done)).thenCompose(seq -> {
            if (seq == OptimisticStore.CONFLICT) {
                data.forgetFetched();
                return run();
            }
            return completedFuture(seq == OptimisticStore.OWNER_GONE ? null : done);
        });
    }
}
