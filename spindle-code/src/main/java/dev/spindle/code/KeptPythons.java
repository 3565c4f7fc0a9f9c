package dev.spindle.code;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The Python instances kept for sessions that asked to keep state, at most {@code max} (each holds tens of
 * MB): past it the least recently used is dropped, and that session's next run starts a fresh one. A run
 * that fails (timeout, out of memory, a refused write-back) drops its session's instance as well.
 */
final class KeptPythons {
    /** A session's place: its instance, used by one run at a time. */
    static final class Slot {
        /** The session's incarnation the instance was made for (see {@code ToolContext#incarnation}). */
        private final String incarnation;
        private final ReentrantLock lock = new ReentrantLock();
        /** Set when the slot left the map: evicted, or its session closed. */
        private volatile boolean retired;
        /** Guarded by {@link #lock}; null until the first run, and after a failed one. */
        PythonInstance python;

        private Slot(String incarnation) {
            this.incarnation = incarnation;
        }

        /** Under {@link #lock}. */
        void closeInstance() {
            if (python != null) {
                python.close();
                python = null;
            }
        }

        /**
         * Closes the instance of a retired slot unless a run holds it; that run calls this again once it
         * let go, so one of the two closes it.
         */
        private void closeIfRetired() {
            if (retired && lock.tryLock()) {
                try {
                    closeInstance();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private final int max;
    private final LinkedHashMap<String, Slot> bySession = new LinkedHashMap<>(16, 0.75f, true);

    KeptPythons(int max) {
        this.max = max;
    }

    /**
     * Runs {@code run} with the slot of this incarnation of the session, alone; a failure drops the slot's
     * instance. A slot of another incarnation (the id's earlier session) is dropped first.
     */
    RunOutcome use(String sessionId, String incarnation, Function<Slot, RunOutcome> run) {
        while (true) {
            Slot slot = slot(sessionId, incarnation);
            slot.lock.lock();
            try {
                if (slot.retired) {
                    continue; // evicted between the lookup and the lock: take the session's new slot
                }
                try {
                    return run.apply(slot);
                } catch (RuntimeException | Error e) {
                    slot.closeInstance(); // the instance may be in any state
                    throw e;
                }
            } finally {
                slot.lock.unlock();
                slot.closeIfRetired();
            }
        }
    }

    /** Drops the session's slot, if any. */
    void remove(String sessionId) {
        Slot slot;
        synchronized (this) {
            slot = bySession.remove(sessionId);
        }
        if (slot != null) {
            retire(slot);
        }
    }

    private synchronized Slot slot(String sessionId, String incarnation) {
        Slot earlier = bySession.get(sessionId);
        if (earlier != null && !earlier.incarnation.equals(incarnation)) {
            bySession.remove(sessionId);
            retire(earlier);
        }
        Slot slot = bySession.computeIfAbsent(sessionId, id -> new Slot(incarnation));
        if (bySession.size() > max) {
            Iterator<Map.Entry<String, Slot>> eldest = bySession.entrySet().iterator();
            Slot evicted = eldest.next().getValue();
            eldest.remove();
            retire(evicted);
        }
        return slot;
    }

    private static void retire(Slot slot) {
        slot.retired = true;
        slot.closeIfRetired();
    }
}
