package dev.spindle.core.runtime;

import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.OptimisticStore.Fetched;
import dev.spindle.core.store.OptimisticStore.Read;
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
import java.util.function.Function;

/**
 * One session's data as a quick call sees it (see {@link QuickCall}): values fetched beforehand, all at one
 * version of the session, and the call's own changes, kept here until the commit. A read of something not
 * fetched yet is noted and stops the call ({@link Pending}); it runs again once that is fetched, which is
 * safe since nothing it did has left this object. As a {@link KeyValueStore} it serves only its own session:
 * anything else (another partition, a listing) stops the call too, which then goes the blocking way.
 */
final class PrefetchedData implements SessionData, KeyValueStore {
    /** Stops a run: it needs values not fetched yet, or store work a quick call cannot do. */
    static final class Pending extends RuntimeException {
        Pending() {
            super(null, null, false, false);
        }
    }

    /**
     * The most bytes of values a quick call reads of one namespace at once (a directory's files to move or
     * copy); past it the call goes the blocking way, so that reading them never holds the event loop long.
     */
    static final long MAX_QUICK_ENTRIES_BYTES = 1 << 20;

    private final String session;
    private final Map<Read, Object> fetched = new HashMap<>();
    /** What the call read in any run: asked for again, at one version, when the session moved meanwhile. */
    private final Set<Read> wanted = new LinkedHashSet<>();
    private final Set<Read> missing = new LinkedHashSet<>();
    /** The session's version the fetched values are of; null before the first fetch. */
    private String version;
    /** What the run wrote. */
    private PendingChanges changes = new PendingChanges();
    /** Set when the call asked for store work a quick call cannot do. */
    private boolean elsewhere;
    private boolean stopped;

    PrefetchedData(String session) {
        this.session = session;
    }

    /** Starts a run from the fetched values alone. */
    void begin() {
        changes = new PendingChanges();
        missing.clear();
        stopped = false;
    }

    /** True when the last run must be run again after a fetch of {@link #toFetch}, or the blocking way when {@link #elsewhere}. */
    boolean stopped() {
        return stopped;
    }

    boolean elsewhere() {
        return elsewhere;
    }

    /** What the next fetch asks for: what the last run missed, and what was read before but is no longer held. */
    List<Read> toFetch() {
        List<Read> reads = new ArrayList<>(missing);
        wanted.stream().filter(read -> !fetched.containsKey(read) && !missing.contains(read)).forEach(reads::add);
        return reads;
    }

    /** Takes what a fetch read; values of another version than those held replace them all. */
    void accept(Fetched batch) {
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
        return changes.isEmpty() ? null : version;
    }

    PendingChanges changes() {
        return changes;
    }

    private Pending stop() {
        stopped = true;
        return new Pending();
    }

    private Pending need(List<Read> reads) {
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
        if (changes.has(namespace, key)) {
            return changes.value(namespace, key);
        }
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
            return changes.overlay(ns, sizes, value -> value.length);
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
            if (bytes > MAX_QUICK_ENTRIES_BYTES) {
                return notHere();
            }
            throw need(List.of(read));
        }
        return changes.overlay(namespace, new TreeMap<>(this.<NavigableMap<String, byte[]>>held(read)), value -> value);
    }

    /** The stored namespaces with this call's own changes: added ones, and those it emptied left out. */
    @Override
    public NavigableSet<String> namespaces() {
        Read read = new Read.Namespaces();
        if (!fetched.containsKey(read)) {
            throw need(List.of(read));
        }
        return changes.namespaces(this.<NavigableSet<String>>held(read), this::sizes);
    }

    // As a store: the call's own session only, its writes kept here, a failed write's undone.

    private void ownSession(String partition) {
        if (!session.equals(partition)) {
            elsewhere = true;
            throw stop();
        }
    }

    @Override
    public <T> T read(String partition, Function<SessionData, T> work) {
        ownSession(partition);
        return work.apply(this);
    }

    @Override
    public <T> T write(String partition, Function<SessionData, T> work) {
        ownSession(partition);
        PendingChanges before = changes.isEmpty() ? new PendingChanges() : changes.copy(); // most calls write once
        try {
            return work.apply(this);
        } catch (RuntimeException e) {
            changes = before;
            throw e;
        }
    }

    private <T> T notHere() {
        elsewhere = true;
        throw stop();
    }

    @Override
    public long append(String partition, BoundedLog log, byte[] entry) {
        return notHere();
    }

    @Override
    public Map<String, Integer> deleteSession(String partition) {
        return notHere();
    }

    @Override
    public void copySession(String from, String to) {
        notHere();
    }

    @Override
    public List<String> sessions() {
        return notHere();
    }

    @Override
    public String describe() {
        return "a quick call's view of session " + session;
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public void close() {
    }
}
