package dev.spindle.core.runtime;

import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionPage;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * The session listing on a shared store: every session in the store, whichever instance made it, read
 * from each session's metadata in bulk ({@link KeyValueStore#entries}) without loading any here, so every
 * instance answers the same page. Last-use times are those shared with the store, which lag the real last
 * use by up to {@link Sessions#SHARE_USE_MILLIS} (or a tenth of the session's TTL when shorter).
 *
 * <p>By id, only the page's sessions are read (one bulk read of their metadata, one of their file sizes);
 * by last use, every matching session's metadata is read in one bulk read to sort them.
 */
final class StoredSessionList {
    private final KeyValueStore store;
    private final Sessions sessions;

    StoredSessionList(KeyValueStore store, Sessions sessions) {
        this.store = store;
        this.sessions = sessions;
    }

    /** One stored session: its metadata entries and when any instance last shared a use of it. */
    private record Stored(String id, NavigableMap<String, byte[]> meta, long usedMillis) {}

    /**
     * A session listed in the store but without metadata is being created or closed at this moment (its
     * data is written before its metadata, removed with it): it is left out of the page; by id it still
     * counts in the total, which comes from the store's list alone.
     */
    SessionPage page(String prefix, SessionPage.Order order, int offset, int limit) {
        List<String> ids = store.sessions().stream().filter(id -> SessionIds.isSession(id) && id.startsWith(prefix)).toList();
        List<Stored> page;
        int total;
        if (order == SessionPage.Order.id) {
            List<String> sorted = ids.stream().sorted().toList();
            total = sorted.size();
            page = read(sorted.subList(Math.min(offset, total), Math.min(total, offset + limit)));
        } else {
            List<Stored> all = read(ids).stream().sorted(Sessions.order(order, Stored::id, Stored::usedMillis)).toList();
            total = all.size();
            page = all.subList(Math.min(offset, total), Math.min(total, offset + limit));
        }
        Map<String, Usage> usage = store.usage(page.stream().map(Stored::id).toList(), SessionFiles.FILES);
        return new SessionPage(page.stream().map(s -> info(s, usage.getOrDefault(s.id, Usage.NONE))).toList(), total, offset, limit);
    }

    /** The sessions with metadata among {@code ids}, in their order, in one bulk read. */
    private List<Stored> read(List<String> ids) {
        Map<String, NavigableMap<String, byte[]>> metas = store.entries(ids, SessionMeta.NAMESPACE);
        return ids.stream().filter(id -> metas.get(id).containsKey(SessionMeta.KEY)).map(id -> stored(id, metas.get(id))).toList();
    }

    /**
     * Sorting needs no parsing: a session shares its creation as its first use. One stored by an older
     * version without that entry counts as last used at its creation.
     */
    private Stored stored(String id, NavigableMap<String, byte[]> meta) {
        byte[] used = meta.get(SessionMeta.USED_KEY);
        return new Stored(id, meta, used != null ? SessionMeta.usedMillis(used) : restore(id, meta).createdAt.toEpochMilli());
    }

    private LiveSession restore(String id, NavigableMap<String, byte[]> meta) {
        return sessions.restore(id, meta.get(SessionMeta.KEY));
    }

    private SessionInfo info(Stored s, Usage files) {
        LiveSession state = restore(s.id, s.meta);
        Instant used = Instant.ofEpochMilli(s.usedMillis);
        return new SessionInfo(s.id, files.entries(), files.bytes(), StoredTrace.size(s.meta), state.createdAt, used, used.plus(state.ttl),
                state.forkedFrom, state.seed);
    }
}
