package dev.spindle.core.store;

/**
 * Told of every store operation an {@link ObservedStore} passes on, e.g. to time it in metrics; keeps the
 * stores free of any metrics library. Called on the calling thread (or, for an operation that completes
 * later, the thread that completes it): an observer must be quick and must not throw.
 */
@FunctionalInterface
public interface StoreObserver {
    StoreObserver NONE = (store, operation, outcome, nanos) -> { };

    /**
     * @param store the kind of store: {@code memory}, {@code sqlite}, {@code redis}
     * @param operation the {@link KeyValueStore} method ({@code read}, {@code write}...), or a store's own
     *     ({@code fetch}, {@code commit}: see {@link ObservedStore#timed})
     * @param outcome {@code ok}, {@code error}, or for a commit {@code conflict} (the session moved) or {@code gone}
     */
    void operated(String store, String operation, String outcome, long nanos);
}
