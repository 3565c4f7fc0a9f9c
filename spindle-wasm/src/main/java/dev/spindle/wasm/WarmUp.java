package dev.spindle.wasm;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loading a sandbox the first time in a process (classes compiled from WebAssembly, megabytes of them:
 * 0.5-2 s, tens of seconds on a busy machine), done once, on a thread of its own, when the first run needs
 * it. Runs wait for it before their own timeout starts, so that no correct call times out because it came
 * first. Not at start: a server's first seconds of storage calls are slower by far while it loads.
 */
public final class WarmUp {
    /** How long a run waits for the load, apart from its own timeout, before it answers {@code Timeout}. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(2);
    private static final Logger LOG = Logger.getLogger(WarmUp.class.getName());

    private final String what;
    private final Runnable load;
    private CompletableFuture<Void> loaded;

    /** {@code what} names the sandbox in messages ("The Python interpreter"); {@code load} runs a first, small run. */
    public WarmUp(String what, Runnable load) {
        this.what = what;
        this.load = load;
    }

    /** Starts the load on a thread of its own, once; later calls do nothing. */
    private synchronized void start() {
        if (loaded == null) {
            loaded = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("spindle-warm-up").start(() -> {
                long start = System.nanoTime();
                try {
                    load.run();
                    LOG.fine(() -> "event=sandbox_loaded what=\"" + what + "\" ms=" + (System.nanoTime() - start) / 1_000_000);
                } catch (RuntimeException | Error e) {
                    // the runs meet the failure themselves, each with its own answer
                    LOG.log(Level.WARNING, "event=sandbox_load_failed what=\"" + what + "\"", e);
                }
                loaded.complete(null);
            });
        }
    }

    /** Waits until the load is done (starting it if no run did), at most {@link #MAX_WAIT}; then {@code Timeout}. */
    public void await() {
        start();
        try {
            loaded.get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SpindleException(ErrorType.Timeout, what + " was still loading after " + MAX_WAIT.toSeconds() + " s (the machine is busy); try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpindleException(ErrorType.Timeout, what + " was still loading when the call was stopped");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the load never fails its future", e);
        }
    }
}
