package dev.spindle.core.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One live session. Calls hold its lock shared and closing holds it exclusively, so that a session is
 * never removed under a running call: the call's writes land before the removal deletes them, or the
 * call sees the session closed and goes to its successor. Detached calls ({@link Sessions#leaseDetached}) wait for the
 * store without a thread, so they cannot hold the lock: they are counted instead, and whoever takes the
 * lock exclusively waits for the count to fall to 0, while new detached calls see the lock and stay away.
 */
final class LiveSession {
    /**
     * How long closing a session waits for its detached calls: longer than a store's own timeout, so that only a
     * call stuck past it (never seen) could still commit after the close, and then only into a session the
     * commit finds gone.
     */
    static final long DETACHED_CALLS_WAIT_MILLIS = 5_000;

    final String id;
    final Instant createdAt;
    final Duration ttl;
    final String forkedFrom;
    /** Null when the session was opened without one. */
    final Long seed;
    /**
     * Which session of this id it is, for every instance on the store: a random id written in the stored
     * metadata at creation (a fork, a restore, an implicit creation after a close each make a new one),
     * so that state kept in memory for an id is never handed to a later session of the same id.
     */
    final String incarnation;
    final Trace trace;
    volatile long lastUsedMillis;
    /** The last-use time last written to the store. */
    volatile long sharedUseMillis;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final AtomicInteger detachedCalls = new AtomicInteger();
    /** Set once, under the exclusive lock, when the session is removed. */
    volatile boolean closed;

    LiveSession(String id, Instant createdAt, Duration ttl, String forkedFrom, Long seed, String incarnation, Trace trace) {
        this.id = id;
        this.createdAt = createdAt;
        this.ttl = ttl;
        this.forkedFrom = forkedFrom;
        this.seed = seed;
        this.incarnation = incarnation;
        this.trace = trace;
        this.lastUsedMillis = System.currentTimeMillis();
        this.sharedUseMillis = lastUsedMillis;
    }

    /** Takes the lock exclusively once the detached calls running have ended (at most {@value #DETACHED_CALLS_WAIT_MILLIS} ms). */
    void lockExclusively() {
        lock.writeLock().lock();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DETACHED_CALLS_WAIT_MILLIS);
        while (detachedCalls.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
    }

    /** The exclusive lock if nobody holds the lock and no detached call runs; false, and nothing held, else. */
    boolean tryLockExclusively() {
        if (!lock.writeLock().tryLock()) {
            return false;
        }
        if (detachedCalls.get() > 0) {
            lock.writeLock().unlock();
            return false;
        }
        return true;
    }

    boolean running() {
        return lock.getReadLockCount() > 0 || detachedCalls.get() > 0;
    }

    /** Ends a call {@link Sessions#leaseDetached} let in. */
    void detachedCallDone() {
        detachedCalls.decrementAndGet();
    }

    Instant lastUsedAt() {
        return Instant.ofEpochMilli(lastUsedMillis);
    }

    Instant expiresAt() {
        return lastUsedAt().plus(ttl);
    }
}
