package dev.spindle.core.store;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A store that tells a {@link StoreObserver} how long each operation of the store it wraps took and how it
 * ended. It is an {@link OptimisticStore} whatever it wraps; one that is not serves nowhere.
 */
public final class ObservedStore implements KeyValueStore, OptimisticStore {
    private final KeyValueStore store;
    private final OptimisticStore optimistic;
    private final String kind;
    private volatile StoreObserver observer = StoreObserver.NONE;

    public ObservedStore(KeyValueStore store) {
        this.store = store;
        this.optimistic = store instanceof OptimisticStore o ? o : null;
        String described = store.describe();
        this.kind = described.contains(":") ? described.substring(0, described.indexOf(':')) : described;
    }

    /** Who hears of every operation from now on; replaces the previous one. */
    public void observe(StoreObserver observer) {
        this.observer = observer;
    }

    private <T> T timed(String operation, Supplier<T> work) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = work.get();
            outcome = "ok";
            return result;
        } finally {
            observer.operated(kind, operation, outcome, System.nanoTime() - start);
        }
    }

    private void timed(String operation, Runnable work) {
        timed(operation, () -> {
            work.run();
            return null;
        });
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public boolean blocking() {
        return store.blocking();
    }

    @Override
    public boolean shared() {
        return store.shared();
    }

    @Override
    public <T> T read(String session, Function<SessionData, T> work) {
        return timed("read", () -> store.read(session, work));
    }

    @Override
    public <T> T write(String session, Function<SessionData, T> work) {
        return timed("write", () -> store.write(session, work));
    }

    @Override
    public long append(String session, BoundedLog log, byte[] entry) {
        return timed("append", () -> store.append(session, log, entry));
    }

    @Override
    public Map<String, Integer> deleteSession(String session) {
        return timed("delete_session", () -> store.deleteSession(session));
    }

    @Override
    public void copySession(String from, String to) {
        timed("copy_session", () -> store.copySession(from, to));
    }

    @Override
    public void expireAfter(String session, Duration idle) {
        timed("expire", () -> store.expireAfter(session, idle));
    }

    @Override
    public Map<String, Usage> usage(Collection<String> sessions, String namespace) {
        return timed("usage", () -> store.usage(sessions, namespace));
    }

    @Override
    public Map<String, NavigableMap<String, byte[]>> entries(Collection<String> sessions, String namespace) {
        return timed("entries", () -> store.entries(sessions, namespace));
    }

    @Override
    public List<String> sessions() {
        return timed("sessions", store::sessions);
    }

    @Override
    public boolean servesHere() {
        return optimistic != null && optimistic.servesHere();
    }

    @Override
    public CompletionStage<Fetched> fetch(String session, List<Read> reads) {
        long start = System.nanoTime();
        return optimistic.fetch(session, reads).whenComplete((fetched, failure) ->
                observer.operated(kind, "fetch", failure == null ? "ok" : "error", System.nanoTime() - start));
    }

    @Override
    public CompletionStage<Long> commit(String session, String expectedVersion, PendingChanges changes, BoundedLog log, byte[] entry) {
        long start = System.nanoTime();
        return optimistic.commit(session, expectedVersion, changes, log, entry).whenComplete((seq, failure) -> observer.operated(kind,
                "commit", failure != null ? "error" : seq == CONFLICT ? "conflict" : seq == OWNER_GONE ? "gone" : "ok", System.nanoTime() - start));
    }

    @Override
    public void close() {
        store.close();
    }
}
