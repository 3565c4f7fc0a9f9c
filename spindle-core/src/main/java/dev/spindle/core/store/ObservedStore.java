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
 * ended.
 */
public final class ObservedStore implements KeyValueStore {
    private final KeyValueStore store;
    private final String kind;
    private volatile StoreObserver observer = StoreObserver.NONE;

    public ObservedStore(KeyValueStore store) {
        this.store = store;
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

    /**
     * Times an operation that completes later (an executor's own round trips to the store), as the others are
     * timed; {@code outcome} names how it ended when it did not fail.
     */
    public <T> CompletionStage<T> timed(String operation, CompletionStage<T> work, Function<T, String> outcome) {
        long start = System.nanoTime();
        return work.whenComplete((result, failure) -> observer.operated(kind, operation, failure == null ? outcome.apply(result) : "error",
                System.nanoTime() - start));
    }

    @Override
    public void close() {
        store.close();
    }
}
