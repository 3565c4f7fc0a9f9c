package dev.spindle.core.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A store that can serve a call that does nothing but store work without holding a thread while it waits:
 * the call runs against values {@link #fetch fetched} beforehand (asking for more when it meets one it lacks),
 * then its changes and its trace entry are {@link #commit committed} together, only if the session did not
 * change since its values were read. On a conflict the caller runs the call again. Redis does this on the
 * server's event loops (one pipelined connection each), where a blocking client would cost a thread
 * hand-off and a blocked thread per round trip.
 */
public interface OptimisticStore {

    /** Answered by {@link #commit} when the session's metadata (the log's owner) is gone: closed meanwhile. */
    long OWNER_GONE = 0;
    /** Answered by {@link #commit} when the session changed since its values were fetched. */
    long CONFLICT = -1;

    /** One thing a call reads, as {@link SessionData} names it. */
    sealed interface Read {
        record Value(String namespace, String key) implements Read {}

        record Sizes(String namespace) implements Read {}

        record Entries(String namespace) implements Read {}

        record Namespaces() implements Read {}
    }

    /**
     * What one fetch read, all at one version: a {@code byte[]} (or null) per {@link Read.Value}, a
     * {@code NavigableMap<String, Integer>} per {@link Read.Sizes}, a {@code NavigableMap<String, byte[]>} per
     * {@link Read.Entries}, a {@code NavigableSet<String>} for {@link Read.Namespaces}.
     */
    record Fetched(String version, Map<Read, Object> values) {}

    /** True when this thread can wait for the store without blocking (a server event loop); else use {@link KeyValueStore}. */
    boolean servesHere();

    /** Reads {@code reads} of the session and its version in one round trip. */
    CompletionStage<Fetched> fetch(String session, List<Read> reads);

    /**
     * Applies {@code changes} and appends {@code entry} to {@code log}, as one
     * atomic step, if the session's version is still {@code expectedVersion} (any version when null). Answers
     * the entry's sequence number, {@link #OWNER_GONE} or {@link #CONFLICT}; neither of those changes anything.
     */
    CompletionStage<Long> commit(String session, String expectedVersion, PendingChanges changes, BoundedLog log, byte[] entry);
}
