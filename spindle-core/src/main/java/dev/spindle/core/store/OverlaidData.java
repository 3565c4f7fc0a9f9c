package dev.spindle.core.store;

import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.function.Supplier;

/**
 * A session's data as one write sees it before it commits: what is stored, read through {@code stored}, with
 * the write's own {@link PendingChanges} over it, which stay here until the store commits them in one step
 * (Redis's optimistic writes and its event-loop calls both do).
 */
public final class OverlaidData implements SessionData {
    private final SessionData stored;
    private PendingChanges changes = new PendingChanges();

    /** {@code stored} is only read. */
    public OverlaidData(SessionData stored) {
        this.stored = stored;
    }

    public PendingChanges changes() {
        return changes;
    }

    /** Drops the changes made so far, to start the write again. */
    public void clear() {
        changes = new PendingChanges();
    }

    /** Runs {@code work}; should it throw, the changes it made are dropped and those before it kept. */
    public <T> T undoneOnFailure(Supplier<T> work) {
        PendingChanges before = changes.isEmpty() ? new PendingChanges() : changes.copy(); // most calls write once
        try {
            return work.get();
        } catch (RuntimeException e) {
            changes = before;
            throw e;
        }
    }

    @Override
    public byte[] get(String namespace, String key) {
        return changes.has(namespace, key) ? changes.value(namespace, key) : stored.get(namespace, key);
    }

    @Override
    public void put(String namespace, String key, byte[] value) {
        changes.put(namespace, key, value);
    }

    @Override
    public boolean delete(String namespace, String key) {
        boolean present = get(namespace, key) != null;
        changes.delete(namespace, key);
        return present;
    }

    @Override
    public NavigableMap<String, Integer> sizes(String namespace) {
        return sizes(List.of(namespace)).getFirst();
    }

    /** All in one read of the stored sizes (one round trip on Redis). */
    @Override
    public List<NavigableMap<String, Integer>> sizes(List<String> namespaces) {
        List<NavigableMap<String, Integer>> sizes = stored.sizes(namespaces);
        for (int i = 0; i < namespaces.size(); i++) {
            changes.overlay(namespaces.get(i), sizes.get(i), value -> value.length);
        }
        return sizes;
    }

    @Override
    public NavigableMap<String, byte[]> entries(String namespace) {
        return changes.overlay(namespace, stored.entries(namespace), value -> value);
    }

    /** The stored namespaces with the write's own changes: added ones, and those it emptied left out. */
    @Override
    public NavigableSet<String> namespaces() {
        return changes.namespaces(stored.namespaces(), this::sizes);
    }
}
