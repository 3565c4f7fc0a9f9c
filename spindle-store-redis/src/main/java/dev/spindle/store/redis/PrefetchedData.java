package dev.spindle.store.redis;

import dev.spindle.core.runtime.RunSuspended;
import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.OverlaidData;
import dev.spindle.core.store.PendingChanges;
import dev.spindle.core.store.SessionData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One session's data as a call on an event loop sees it (see {@link QuickCall}): values fetched beforehand, all
 * at one version of the session, and the call's own changes over them ({@link OverlaidData}), kept until the
 * commit. A read of something not fetched yet is noted and stops the run ({@link RunSuspended}); it runs again
 * once that is fetched, which is safe since nothing it did has left this object. As a {@link KeyValueStore} it
 * serves only its own session: anything else (another partition, a listing) stops the call too, which is then
 * handed back to run on a thread.
 */
final class PrefetchedData implements KeyValueStore {
    /**
     * The most bytes of values a call on an event loop reads of one namespace at once (a directory's files to
     * move or copy); past it the call is handed back, so that reading them never holds the event loop long.
     */
    static final long MAX_ENTRIES_BYTES = 1 << 20;

    private final String session;
    private final Map<Read, Object> fetched = new HashMap<>();
    /** What the call read in any run: asked for again, at one version, when the session moved meanwhile. */
    private final Set<Read> wanted = new LinkedHashSet<>();
    private final Set<Read> missing = new LinkedHashSet<>();
    private final OverlaidData data = new OverlaidData(new Held());
    /** The session's version the fetched values are of; null before the first fetch. */
    private String version;
    /** Set when the call asked for store work it cannot do on an event loop. */
    private boolean handBack;
    private boolean stopped;

    PrefetchedData(String session) {
        this.session = session;
    }

    /** Starts a run from the fetched values alone. */
    void begin() {
        data.clear();
        missing.clear();
        stopped = false;
    }

    /** True when the last run must be run again after a fetch of {@link #toFetch}, or on a thread when {@link #handBack}. */
    boolean stopped() {
        return stopped;
    }

    boolean handBack() {
        return handBack;
    }

    /** What the next fetch asks for: what the last run missed, and what was read before but is no longer held. */
    List<Read> toFetch() {
        List<Read> reads = new ArrayList<>(missing);
        wanted.stream().filter(read -> !fetched.containsKey(read) && !missing.contains(read)).forEach(reads::add);
        return reads;
    }

    /** Takes what a fetch read; values of another version than those held replace them all. */
    void accept(Read.Fetched batch) {
        if (version != null && !version.equals(batch.version())) {
            fetched.clear();
        }
        version = batch.version();
        fetched.putAll(batch.values());
    }

    /** Forgets every fetched value, after the session moved past them. */
    void forgetFetched() {
        fetched.clear();
        version = null;
    }

    /** The version a commit must find: null (any) for a call that changed nothing or read nothing. */
    String expectedVersion() {
        return data.changes().isEmpty() ? null : version;
    }

    PendingChanges changes() {
        return data.changes();
    }

    private RunSuspended stop() {
        stopped = true;
        return new RunSuspended();
    }

    private <T> T stopAndHandBack() {
        handBack = true;
        throw stop();
    }

    /** The stored values as fetched; a read of one not fetched yet stops the run. */
    private final class Held implements SessionData.ReadOnly {
        private RunSuspended need(List<Read> reads) {
            wanted.addAll(reads);
            missing.addAll(reads);
            return stop();
        }

        @SuppressWarnings("unchecked")
        private <V> V held(Read read) {
            return (V) fetched.get(read);
        }

        @Override
        public byte[] get(String namespace, String key) {
            NavigableMap<String, byte[]> entries = held(new Read.Entries(namespace));
            if (entries != null) {
                return entries.get(key);
            }
            Read read = new Read.Value(namespace, key);
            if (!fetched.containsKey(read)) {
                throw need(List.of(read));
            }
            return held(read);
        }

        @Override
        public NavigableMap<String, Integer> sizes(String namespace) {
            return sizes(List.of(namespace)).getFirst();
        }

        /** All at once: one fetch for every namespace missing. */
        @Override
        public List<NavigableMap<String, Integer>> sizes(List<String> namespaces) {
            List<Read> absent = namespaces.stream().filter(ns -> !fetched.containsKey(new Read.Entries(ns)))
                    .<Read>map(Read.Sizes::new).filter(read -> !fetched.containsKey(read)).toList();
            if (!absent.isEmpty()) {
                throw need(absent);
            }
            return namespaces.stream().map(ns -> {
                NavigableMap<String, byte[]> entries = held(new Read.Entries(ns));
                NavigableMap<String, Integer> sizes = new TreeMap<>();
                if (entries != null) {
                    entries.forEach((key, value) -> sizes.put(key, value.length));
                } else {
                    sizes.putAll(this.<NavigableMap<String, Integer>>held(new Read.Sizes(ns)));
                }
                return sizes;
            }).toList();
        }

        @Override
        public NavigableMap<String, byte[]> entries(String namespace) {
            Read read = new Read.Entries(namespace);
            if (!fetched.containsKey(read)) {
                Read sizes = new Read.Sizes(namespace);
                if (!fetched.containsKey(sizes)) {
                    throw need(List.of(sizes)); // weighed first: the values may be a whole session's files
                }
                long bytes = this.<NavigableMap<String, Integer>>held(sizes).values().stream().mapToLong(Integer::longValue).sum();
                if (bytes > MAX_ENTRIES_BYTES) {
                    return stopAndHandBack();
                }
                throw need(List.of(read));
            }
            return new TreeMap<>(this.<NavigableMap<String, byte[]>>held(read));
        }

        @Override
        public NavigableSet<String> namespaces() {
            Read read = new Read.Namespaces();
            if (!fetched.containsKey(read)) {
                throw need(List.of(read));
            }
            return new TreeSet<>(this.<NavigableSet<String>>held(read));
        }
    }

    // As a store: the call's own session only, its writes kept here, a failed write's undone.

    private void ownSession(String partition) {
        if (!session.equals(partition)) {
            stopAndHandBack();
        }
    }

    @Override
    public <T> T read(String partition, Function<SessionData, T> work) {
        ownSession(partition);
        return work.apply(data);
    }

    @Override
    public <T> T write(String partition, Function<SessionData, T> work) {
        ownSession(partition);
        return data.undoneOnFailure(() -> work.apply(data));
    }

    @Override
    public long append(String partition, BoundedLog log, byte[] entry) {
        return stopAndHandBack();
    }

    @Override
    public Map<String, Integer> deleteSession(String partition) {
        return stopAndHandBack();
    }

    @Override
    public void copySession(String from, String to) {
        stopAndHandBack();
    }

    @Override
    public List<String> sessions() {
        return stopAndHandBack();
    }

    @Override
    public String describe() {
        return "an event-loop call's view of session " + session;
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public void close() {
    }
}
