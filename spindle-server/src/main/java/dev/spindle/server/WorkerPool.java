package dev.spindle.server;

import io.vertx.core.WorkerExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads for calls that may block, with a bound on the calls running or waiting: past it a
 * call is refused at once rather than queued in memory without limit.
 */
final class WorkerPool {
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
