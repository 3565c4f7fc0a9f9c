package dev.spindle.core.store;

import dev.spindle.core.runtime.CallExecutor;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Function;

/**
 * Where sessions keep their state. Data is partitioned by session, then by namespace (one per kind of
 * state: files, directories, session metadata, a component's key-values), then by key. The three
 * levels are separate coordinates, never concatenated into one string, so no session id, namespace or
 * key can collide with another's.
 *
 * <p>Backends: {@link MemoryStore} here, SQLite in {@code spindle-store-sqlite}, Redis in
 * {@code spindle-store-redis} (one hash per session and namespace, shared by many instances).
 */
public interface KeyValueStore extends AutoCloseable {

    /** What this store is, for health reports and logs: {@code memory}, {@code sqlite:/path}, {@code redis://host:port}. */
    String describe();

    /** True when calls do I/O; callers must then keep them off event-loop threads. */
    boolean blocking();

    /**
     * True when other Spindle instances may use the same store at once, so what one instance remembers of
     * a session (that it exists, its trace) must be read back from the store rather than kept in memory.
     */
    default boolean shared() {
        return false;
    }

    /** Runs {@code work} over the session's data for reading. */
    <T> T read(String session, Function<SessionData, T> work);

    /**
     * Runs {@code work} over the session's data as one atomic unit with respect to every other write to
     * the same session: no lost updates when two calls of one session race. If {@code work} throws,
     * nothing it wrote is kept.
     */
    <T> T write(String session, Function<SessionData, T> work);

    /**
     * Appends {@code entry} to the session's {@code log} as one atomic write (see {@link BoundedLog#append});
     * answers its sequence number, 0 when the log's owner is gone. A backend may do it in one step of its
     * own, as Redis does in one script.
     */
    default long append(String session, BoundedLog log, byte[] entry) {
        return write(session, data -> log.append(data, entry));
    }

    /** Removes everything of one session in one operation; answers the entries removed per namespace. */
    Map<String, Integer> deleteSession(String session);

    /** Makes {@code to} an exact copy of {@code from} (replacing whatever {@code to} held). */
    void copySession(String from, String to);

    /**
     * Lets the store delete the whole session by itself {@code idle} from now, unless this is called again
     * before then: a safety net that needs no instance running (Redis expirations). Data the session
     * gets later expires with it. Stores without expirations ignore it and leave expiry to the runtime.
     */
    default void expireAfter(String session, Duration idle) {
    }

    /**
     * The {@link Usage} of one namespace in each of these sessions (one without data uses {@link Usage#NONE}),
     * for listings of many sessions; a backend that can answers in one query instead of one read each.
     */
    default Map<String, Usage> usage(Collection<String> sessions, String namespace) {
        Map<String, Usage> usage = new HashMap<>();
        for (String session : sessions) {
            usage.put(session, read(session, data -> Usage.of(data.sizes(namespace))));
        }
        return usage;
    }

    /**
     * The entries of one namespace in each of these sessions (an empty map for one without), for listings
     * of many sessions; a backend that can answers in one round trip instead of one read each.
     */
    default Map<String, NavigableMap<String, byte[]>> entries(Collection<String> sessions, String namespace) {
        Map<String, NavigableMap<String, byte[]>> entries = new HashMap<>();
        for (String session : sessions) {
            entries.put(session, read(session, data -> data.entries(namespace)));
        }
        return entries;
    }

    /**
     * How calls run on this store: {@code byWorkload} unless the store can serve some of them better itself (Redis
     * serves file calls on the event loops: spindle-store-redis), handing it the rest; {@code timing} times the
     * store work such an executor does. Asked once, when the runtime is built.
     */
    default CallExecutor callExecutor(CallExecutor byWorkload, ObservedStore timing) {
        return byWorkload;
    }

    /** Every session that has data in this store. */
    List<String> sessions();

    @Override
    void close();
}
