package dev.spindle.wasm;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops a WebAssembly run at its deadline: WebAssembly has no fuel here, so the running thread is
 * interrupted (Endive checks the flag and throws). Once closed it can no longer interrupt, so a pooled
 * thread is never handed back with a late interrupt pending.
 */
public final class Watchdog implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("spindle-wasm-watchdog").factory());

    private final Thread runner;
    private final ScheduledFuture<?> alarm;
    private boolean disarmed;
    private boolean fired;

    private Watchdog(Duration timeout) {
        this.runner = Thread.currentThread();
        this.alarm = TIMER.schedule(this::fire, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Watches the calling thread from now on, for {@code timeout}. */
    public static Watchdog start(Duration timeout) {
        return new Watchdog(timeout);
    }

    private synchronized void fire() {
        if (!disarmed) {
            fired = true;
            runner.interrupt();
        }
    }

    /** True when the deadline passed and the run was interrupted. */
    public synchronized boolean fired() {
        return fired;
    }

    @Override
    public synchronized void close() {
        alarm.cancel(false);
        disarmed = true;
        Thread.interrupted(); // clears an interrupt that fired just before the run ended
    }
}
