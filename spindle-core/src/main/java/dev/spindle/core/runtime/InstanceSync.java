package dev.spindle.core.runtime;

import dev.spindle.core.Json;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.SessionData;

/**
 * What the live sessions of one instance must learn of the other instances on the same store. A store of
 * its own (memory, a SQLite file) has no other instances: {@link Alone}. A shared store (Redis) has:
 * {@link SharedStore}, built only then. See docs/architecture.md, "The session lifecycle".
 */
sealed interface InstanceSync {
    /** Where a session's trace is kept. */
    Trace trace(String sessionId);

    /** True when another instance closed the session, or closed it and made a new one of that id. */
    boolean closedByAnotherInstance(LiveSession session);

    /** Before a new session's metadata is written: it starts with no calls, though a fork copied its source's. */
    void startTrace(SessionData data);

    /** Nobody else: the trace in memory, as fast as can be, and no session closed behind this instance's back. */
    record Alone(int traceLimit) implements InstanceSync {
        @Override
        public Trace trace(String sessionId) {
            return new CallTrace(traceLimit);
        }

        @Override
        public boolean closedByAnotherInstance(LiveSession session) {
            return false;
        }

        @Override
        public void startTrace(SessionData data) {}
    }

    /**
     * Other instances on the store: the trace in the store, so that every instance lists every call, and the
     * store's metadata is the judge of whether a session known here still exists.
     */
    record SharedStore(KeyValueStore store, int traceLimit) implements InstanceSync {
        @Override
        public Trace trace(String sessionId) {
            return new StoredTrace(store, sessionId, traceLimit);
        }

        @Override
        public boolean closedByAnotherInstance(LiveSession session) {
            byte[] meta = store.read(session.id, data -> data.get(SessionMeta.NAMESPACE, SessionMeta.KEY));
            return meta == null || !SessionMeta.incarnation(Json.parse(meta)).equals(session.incarnation);
        }

        @Override
        public void startTrace(SessionData data) {
            StoredTrace.clear(data);
        }
    }
}
