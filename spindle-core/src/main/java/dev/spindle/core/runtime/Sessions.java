package dev.spindle.core.runtime;

import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SessionPage;
import dev.spindle.core.SpindleException;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.SessionData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The live sessions: which exist, when each was last used, its trace. Existence and creation metadata
 * are persisted in the store (namespace {@value SessionMeta#NAMESPACE}), so sessions survive a restart of a
 * persistent store, and an instance sharing the store with others loads a session one of them made
 * when it is first named here. Last-use times are written to the store now and then (every tenth of
 * the TTL, at most every {@value #SHARE_USE_MILLIS} ms) so that no instance expires a session another one
 * keeps using; the exact last-use time is kept in memory, per instance. Each time, the store is also told
 * to drop the session by itself should nobody use it again ({@link KeyValueStore#expireAfter}), so an
 * abandoned session goes even with no instance left to sweep it. A session with a call running counts as
 * used at every sweep. On a shared store a session known here is checked against the store when named (or,
 * for a call that keeps nothing outside the store, by the trace's append after it), so one closed by another instance
 * (or closed and made again: each session has its own {@link LiveSession#incarnation}) is forgotten, and the trace is kept in the store ({@link StoredTrace}); else in memory ({@link CallTrace}).
 * There, the listing reads every session from the store ({@link StoredSessionList}); else it is {@link #list}.
 */
final class Sessions {
    static final long SHARE_USE_MILLIS = 10_000;

    private final KeyValueStore store;
    private final Duration defaultTtl;
    /** How often {@link #expire} runs. */
    private final Duration sweepInterval;
    private final Consumer<String> onClosed;
    private final InstanceSync sync;
    private final ConcurrentHashMap<String, LiveSession> live = new ConcurrentHashMap<>();

    /** {@code onClosed} hears of each session closed or expired, after its data is removed. */
    Sessions(KeyValueStore store, Duration defaultTtl, Duration sweepInterval, int traceLimit, Consumer<String> onClosed) {
        this.store = store;
        this.onClosed = onClosed;
        this.defaultTtl = defaultTtl;
        this.sweepInterval = sweepInterval;
        this.sync = store.shared() ? new InstanceSync.SharedStore(store, traceLimit) : new InstanceSync.Alone(traceLimit);
        for (String id : store.sessions()) {
            if (!SessionIds.isSession(id)) {
                continue;
            }
            byte[] meta = store.read(id, data -> data.get(SessionMeta.NAMESPACE, SessionMeta.KEY));
            live.put(id, restore(id, meta));
        }
    }

    /** The session its stored metadata describes (defaults for none), last used now; live here only when the caller keeps it. */
    LiveSession restore(String id, byte[] meta) {
        if (meta == null) {
            return fresh(id, now(), defaultTtl, null, null);
        }
        JsonNode json = Json.parse(meta);
        return new LiveSession(id, Instant.parse(json.path("created_at").asString()),
                Duration.ofSeconds(json.path("ttl_seconds").asLong(defaultTtl.toSeconds())),
                json.path("forked_from").asString(null), json.path("seed").isIntegralNumber() ? json.get("seed").asLong() : null,
                SessionMeta.incarnation(json), sync.trace(id));
    }

    /** A session made now: a new incarnation. */
    private LiveSession fresh(String id, Instant createdAt, Duration ttl, String forkedFrom, Long seed) {
        return new LiveSession(id, createdAt, ttl, forkedFrom, seed, UUID.randomUUID().toString(), sync.trace(id));
    }


    /** Millisecond precision, as every other time in the session's report. */
    private static Instant now() {
        return Instant.ofEpochMilli(System.currentTimeMillis());
    }

    /**
     * Runs {@code call} in the session (created implicitly when it does not exist yet), which is not
     * removed while the call runs, and {@code record}s it in the session's trace. A session closed between
     * the lookup and the call is as if the call came after the close: it runs in a new session of that id.
     *
     * <p>With {@code checkFirst} false (the call keeps nothing of the session outside the store) a session
     * known here is not first checked against a shared store. Should the record find it closed by another
     * instance, the call counts as the first of a fresh session of that id, which is what its reads and
     * writes of the store met: the session is forgotten here and the call recorded in the new one.
     */
    <T> T leaseForCall(String id, boolean checkFirst, Function<LiveSession, T> call, BiPredicate<Trace, T> record) {
        while (true) {
            LiveSession state = findOrCreate(id, checkFirst);
            T result;
            state.lock.readLock().lock();
            try {
                if (state.closed) {
                    continue;
                }
                result = call.apply(state);
                if (record.test(state.trace, result) || checkFirst) {
                    return result;
                }
            } finally {
                state.lock.readLock().unlock();
            }
            forgetClosedByAnotherInstance(state);
            record.test(findOrCreate(id).trace, result);
            return result;
        }
    }

    /**
     * The session known here, for a call that waits for the store without a thread and so takes no lock
     * ({@link DetachedCall}): counted as running until {@link LiveSession#detachedCallDone}. Null, and the call runs on a thread holding the lock, when the
     * session is not known here (loading or creating it reads the store), is being closed or locked, or its
     * use is due to be shared with the store. Closed by another instance is not checked: the call's commit finds that.
     */
    LiveSession leaseDetached(String id) {
        LiveSession state = id == null ? null : live.get(id);
        long now = System.currentTimeMillis();
        if (state == null || now - state.sharedUseMillis > shareEvery(state)) {
            return null;
        }
        state.detachedCalls.incrementAndGet(); // before looking at the lock: a closer locks first, then waits for the count
        if (state.lock.isWriteLocked() || state.closed) {
            state.detachedCallDone();
            return null;
        }
        state.lastUsedMillis = now;
        return state;
    }

    /** Runs {@code work} while no call runs in the session ({@code UnknownSession} when there is none). */
    <T> T leaseExclusively(String id, Function<LiveSession, T> work) {
        while (true) {
            LiveSession state = require(id);
            state.lockExclusively();
            try {
                if (!state.closed) {
                    return work.apply(state);
                }
            } finally {
                state.lock.writeLock().unlock();
            }
        }
    }

    /** The session, created implicitly (with the default TTL) when it does not exist yet. */
    LiveSession findOrCreate(String id) {
        return findOrCreate(id, true);
    }

    private LiveSession findOrCreate(String id, boolean check) {
        LiveSession state = id == null ? null : known(id, check);
        if (state == null) {
            state = live.computeIfAbsent(SessionIds.check(id), this::loadOrCreate);
        }
        used(state);
        return state;
    }

    /** The session known here, marked as used now; null when it was closed (here or by another instance) or expired. */
    LiveSession keepAlive(String id) {
        LiveSession state = known(id);
        if (state != null) {
            used(state);
        }
        return state;
    }

    /** Marks the session as used now, and shares that with the store every {@link #shareEvery}. */
    private void used(LiveSession state) {
        long now = System.currentTimeMillis();
        state.lastUsedMillis = now;
        if (now - state.sharedUseMillis > shareEvery(state)) {
            state.sharedUseMillis = now;
            store.write(state.id, data -> {
                data.put(SessionMeta.NAMESPACE, SessionMeta.USED_KEY, SessionMeta.millis(now));
                return null;
            });
            expireInStore(state);
        }
    }

    private static long shareEvery(LiveSession state) {
        return Math.min(SHARE_USE_MILLIS, state.ttl.toMillis() / 10);
    }

    /**
     * Lets the store drop the session by itself: its TTL after the last use shared, plus one sharing
     * interval, since the uses in between are known only to the instance that served them, plus one sweep
     * interval, since a call running longer than the TTL counts as a use only at each sweep.
     */
    private void expireInStore(LiveSession state) {
        store.expireAfter(state.id, state.ttl.plusMillis(shareEvery(state)).plus(sweepInterval));
    }

    /**
     * The session known here. On a shared store it is first checked against the store: one another
     * instance closed (and perhaps replaced by a new session of the same id) is forgotten here, with what
     * components keep of it, unless a call is running in it; the id then names the store's session.
     * A store that cannot tell fails here, at once: a call going on would only wait for it a second time.
     */
    LiveSession known(String id) {
        return known(id, true);
    }

    private LiveSession known(String id, boolean check) {
        LiveSession state = live.get(id);
        if (state == null || !check || !sync.closedByAnotherInstance(state)) {
            return state;
        }
        return forgetClosedByAnotherInstance(state) ? null : state;
    }

    /** Forgets a session another instance closed, unless a call is running in it; true when forgotten. */
    private boolean forgetClosedByAnotherInstance(LiveSession state) {
        if (!state.tryLockExclusively()) {
            return false;
        }
        try {
            if (!state.closed) {
                state.closed = true;
                onClosed.accept(state.id);
            }
            return true;
        } finally {
            live.remove(state.id, state);
            state.lock.writeLock().unlock();
        }
    }


    private LiveSession loadOrCreate(String id) {
        byte[] meta = storedMeta(id);
        return meta != null ? restore(id, meta) : createImplicitly(id);
    }

    private byte[] storedMeta(String id) {
        return store.read(id, data -> data.get(SessionMeta.NAMESPACE, SessionMeta.KEY));
    }

    /** When any instance on the store last recorded a use of the session (0 when none did). */
    private long sharedUse(String id) {
        return SessionMeta.usedMillis(store.read(id, data -> data.get(SessionMeta.NAMESPACE, SessionMeta.USED_KEY)));
    }

    private LiveSession createImplicitly(String id) {
        LiveSession state = fresh(id, now(), defaultTtl, null, null);
        store.write(id, data -> {
            SessionMeta.write(data, state);
            return null;
        });
        expireInStore(state);
        return state;
    }

    /**
     * Creates a session explicitly, running {@code fill} (its seed files, or the copy of another session)
     * before its metadata is written, so that a refused fill leaves no session behind. {@code Conflict}
     * when the id is taken.
     */
    LiveSession create(String id, Duration ttl, String forkedFrom, Long seed, Consumer<String> fill) {
        SessionIds.check(id);
        known(id); // forgets a session another instance closed, so its id can be taken again
        LiveSession state = fresh(id, now(), ttl == null ? defaultTtl : ttl, forkedFrom, seed);
        state.lock.writeLock().lock(); // calls and closes wait until it is seeded
        try {
            // asked first, so that an unreachable store leaves nothing behind here; another instance on the
            // same store may have made it
            if (storedMeta(id) != null || live.putIfAbsent(id, state) != null) {
                throw conflict(id);
            }
            try {
                fill.accept(id);
                store.write(id, data -> {
                    sync.startTrace(data);
                    SessionMeta.write(data, state);
                    return null;
                });
                expireInStore(state);
                return state;
            } catch (RuntimeException | Error e) { // an Error too: a half-made session must not stay listed
                discard(state);
                throw e;
            }
        } finally {
            state.lock.writeLock().unlock();
        }
    }

    private static SpindleException conflict(String id) {
        return new SpindleException(ErrorType.Conflict, "Session '" + id + "' already exists; close it first or pick another id");
    }

    /** The session known here, or else one another instance on the same store made (null when neither). */
    LiveSession find(String id) {
        LiveSession state = known(id);
        if (state != null) {
            return state;
        }
        byte[] meta = storedMeta(id);
        return meta == null ? null : live.computeIfAbsent(id, i -> restore(i, meta));
    }

    LiveSession require(String id) {
        LiveSession state = find(id);
        if (state == null) {
            throw new SpindleException(HttpError.UnknownSession, "Session '" + id + "' does not exist (it may have expired or been closed)");
        }
        return state;
    }

    /**
     * Forgets the session and deletes its data once its running calls are done; answers the entries
     * removed per namespace (none when there is no such session).
     */
    Map<String, Integer> remove(String id) {
        while (true) {
            LiveSession state = find(id);
            if (state == null) {
                return Map.of();
            }
            state.lockExclusively();
            try {
                if (!state.closed) {
                    return discard(state);
                }
            } finally {
                state.lock.writeLock().unlock();
            }
        }
    }

    /**
     * Under the session's exclusive lock: marks it closed, deletes its data, tells {@code onClosed} and
     * forgets it; a call for the same id waits on the lock until then, and goes to a new session.
     */
    private Map<String, Integer> discard(LiveSession state) {
        state.closed = true;
        try {
            Map<String, Integer> removed = store.deleteSession(state.id);
            onClosed.accept(state.id);
            return removed;
        } finally {
            live.remove(state.id, state);
        }
    }

    /**
     * The sessions known here whose id starts with {@code prefix}, in {@code order}. Last-use times are read
     * once each before sorting, as calls may change them meanwhile.
     */
    List<LiveSession> list(String prefix, SessionPage.Order order) {
        record Used(LiveSession state, long at) {}
        return live.values().stream()
                .filter(s -> s.id.startsWith(prefix))
                .map(s -> new Used(s, s.lastUsedMillis))
                .sorted(order(order, u -> u.state.id, Used::at))
                .map(Used::state)
                .toList();
    }

    /** Sorts listed sessions in {@code order}: by {@code id}, or most recently {@code used} first, ties by id. */
    static <T> Comparator<T> order(SessionPage.Order order, Function<T, String> id, ToLongFunction<T> used) {
        Comparator<T> byId = Comparator.comparing(id);
        return order == SessionPage.Order.id ? byId : Comparator.comparingLong((T t) -> -used.applyAsLong(t)).thenComparing(byId);
    }

    int count() {
        return live.size();
    }

    /**
     * Closes every session idle past its TTL, but none with a call running (which counts as a use now, so
     * that neither the store nor another instance drops it) nor any another instance on the store used
     * since; answers how many.
     */
    int expire(long nowMillis) {
        int expired = 0;
        for (LiveSession state : live.values()) {
            if (state.running()) {
                used(state);
                continue;
            }
            if (idle(state, nowMillis)) {
                state.lastUsedMillis = Math.max(state.lastUsedMillis, sharedUse(state.id));
            }
            if (idle(state, nowMillis) && state.tryLockExclusively()) {
                try {
                    if (!state.closed && idle(state, nowMillis)) { // a call may have used it since
                        discard(state);
                        expired++;
                    }
                } finally {
                    state.lock.writeLock().unlock();
                }
            }
        }
        return expired;
    }

    private static boolean idle(LiveSession state, long nowMillis) {
        return state.lastUsedMillis + state.ttl.toMillis() < nowMillis;
    }
}
