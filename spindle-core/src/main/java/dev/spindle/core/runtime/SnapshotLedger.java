package dev.spindle.core.runtime;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.store.KeyValueStore;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;
import tools.jackson.databind.JsonNode;

/**
 * How many snapshots the store holds and how many bytes they take, kept in the store itself (a partition
 * no session id can name): on Redis every instance counts the same snapshots, on SQLite the count
 * survives a restart, on the memory store it is in memory with them. Snapshots never expire, so these
 * two bounds are all that keeps them from filling the store (and the heap, on the memory store).
 *
 * <p>A snapshot is entered before its data is written and removed after its data is deleted, each in
 * one atomic write of the ledger, so two instances cannot both take the last room. An instance stopped
 * between the two writes leaves an entry without data (counted, never freed) and a store from before
 * the ledger has data without entries: {@link #reconcile} mends both.
 */
final class SnapshotLedger {
    static final String PARTITION = "\u0000snapshots";
    private static final String NS = "ledger";
    /** An entry whose data is missing for this long was never finished; a younger one may be another instance's, being written. */
    static final long UNFINISHED_MILLIS = 60_000;

    private final KeyValueStore store;
    private final int maxSnapshots;
    private final long maxBytes;

    SnapshotLedger(KeyValueStore store, int maxSnapshots, long maxBytes) {
        this.store = store;
        this.maxSnapshots = maxSnapshots;
        this.maxBytes = maxBytes;
    }

    /** Makes room for one more snapshot of {@code bytes}: {@code QuotaExceeded}, and nothing entered, past either bound. */
    void reserve(String snapshotId, long bytes) {
        store.write(PARTITION, data -> {
            NavigableMap<String, byte[]> entries = data.entries(NS);
            if (entries.size() >= maxSnapshots) {
                throw new SpindleException(ErrorType.QuotaExceeded, entries.size() + " snapshots are stored, the most this server keeps"
                        + " (--max-snapshots " + maxSnapshots + "); delete one first (DELETE /snapshots/{id})");
            }
            long used = entries.values().stream().mapToLong(entry -> read(entry).path("bytes").asLong()).sum();
            if (used + bytes > maxBytes) {
                throw new SpindleException(ErrorType.QuotaExceeded, "the snapshots stored take " + used + " bytes and this one "
                        + bytes + ", past the " + maxBytes + " this server keeps (--max-snapshot-bytes); delete one first (DELETE /snapshots/{id})");
            }
            data.put(NS, snapshotId, entry(bytes, System.currentTimeMillis()));
            return null;
        });
    }

    void release(String snapshotId) {
        store.write(PARTITION, data -> data.delete(NS, snapshotId));
    }

    /**
     * Enters the snapshots whose data is {@code stored} but which are not listed (measured by {@code measure}),
     * and removes the entries left unfinished longer than {@value #UNFINISHED_MILLIS} ms ago; writes nothing
     * when there is nothing to mend, as on most starts.
     */
    void reconcile(Set<String> stored, ToLongFunction<String> measure, long nowMillis) {
        NavigableMap<String, byte[]> listed = store.read(PARTITION, data -> data.entries(NS));
        Map<String, Long> missing = new TreeMap<>();
        stored.stream().filter(id -> !listed.containsKey(id)).forEach(id -> missing.put(id, measure.applyAsLong(id)));
        Set<String> unfinished = new TreeSet<>();
        listed.forEach((id, entry) -> {
            if (!stored.contains(id) && unfinished(entry, nowMillis)) {
                unfinished.add(id);
            }
        });
        if (missing.isEmpty() && unfinished.isEmpty()) {
            return;
        }
        store.write(PARTITION, data -> {
            missing.forEach((id, bytes) -> {
                if (data.get(NS, id) == null) {
                    data.put(NS, id, entry(bytes, nowMillis));
                }
            });
            unfinished.forEach(id -> {
                byte[] entry = data.get(NS, id);
                if (entry != null && unfinished(entry, nowMillis)) {
                    data.delete(NS, id);
                }
            });
            return null;
        });
    }

    private static boolean unfinished(byte[] entry, long nowMillis) {
        return read(entry).path("at").asLong() < nowMillis - UNFINISHED_MILLIS;
    }

    private static byte[] entry(long bytes, long atMillis) {
        return Json.writeBytes(Json.object().put("bytes", bytes).put("at", atMillis));
    }

    private static JsonNode read(byte[] entry) {
        return Json.parse(entry);
    }
}
