package dev.spindle.core.runtime;

import dev.spindle.core.SpindleException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The runtime's background work: sweeping idle sessions, the components' chores ({@code ComponentHost.every})
 * and one-off work kept off the start path. Two threads, so that a sweep waiting on a slow store does not
 * hold the chores back.
 */
final class Sweeper implements AutoCloseable {
    /** The runtime's log, under the name operators filter on. */
    private static final Logger LOG = Logger.getLogger(ToolRuntime.class.getName());

    private final ScheduledExecutorService threads =
            Executors.newScheduledThreadPool(2, Thread.ofPlatform().daemon().name("spindle-background-", 0).factory());

    /** Closes the sessions idle past their TTL every {@code interval}. */
    void sweepEvery(Duration interval, Sessions sessions) {
        long every = interval.toMillis();
        threads.scheduleWithFixedDelay(() -> {
            try {
                int expired = sessions.expire(System.currentTimeMillis());
                if (expired > 0) {
                    LOG.fine(() -> "event=sessions_expired count=" + expired);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=sweep_failed", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** A store that fails (unreachable, say) is logged quietly: it would be every period while it lasts. */
    void every(String component, Duration period, Runnable chore) {
        long millis = period.toMillis();
        threads.scheduleWithFixedDelay(() -> {
            try {
                chore.run();
            } catch (SpindleException e) {
                LOG.log(Level.FINE, "event=chore_failed component=" + component, e);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event=chore_failed component=" + component, e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code work} once, now, in the background. */
    CompletableFuture<Void> once(Runnable work) {
        return CompletableFuture.runAsync(work, threads);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
