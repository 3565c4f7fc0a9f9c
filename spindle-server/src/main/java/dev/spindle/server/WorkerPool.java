package dev.spindle.server;

import io.vertx.core.WorkerExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker threads for calls that may block, with a bound on the calls running or waiting: past it a
 * call is refused at once rather than queued in memory without limit.
 */
final class WorkerPool {
    private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());
    private final WorkerExecutor executor;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();

    WorkerPool(WorkerExecutor executor, int maxPending) {
        this.executor = executor;
        this.maxPending = maxPending;
    }

    /** False, and nothing runs, when {@code maxPending} calls are already running or waiting. */
    boolean submit(Runnable task) {
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            return false;
        }
        executor.executeBlocking(() -> {
            try {
                task.run();
            } catch (Throwable e) { // the task answers its own failures: what escapes it is a bug, and Vert.x would drop it unseen
                LOG.log(Level.SEVERE, "event=worker_task_failed", e);
            } finally {
                pending.decrementAndGet();
            }
            return null;
        }, false);
        return true;
    }

    /** Calls running or waiting for a worker now. */
    int pending() {
        return pending.get();
    }

    int maxPending() {
        return maxPending;
    }
}
