package dev.spindle.core.runtime;

import dev.spindle.core.HttpError;
import dev.spindle.core.SpindleException;
import dev.spindle.core.Workload;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads {@link Workload#COMPUTE} calls run on, by default one per core: code runs keep at most that
 * many cores busy however many are asked for, so the workers' store calls, the event loops and the health
 * checks are never starved of CPU. In front of them a bounded queue; past it a call is refused at once with
 * {@code Overloaded} (the HTTP server adds {@code Retry-After}) rather than held in memory without limit.
 * A call waiting in the queue holds no thread when it came through {@link #execute}.
 */
final class ComputePool implements Executor, AutoCloseable {
    static final int DEFAULT_QUEUE = 256;
    /** What an overloaded pool tells its callers to wait, in seconds (as the HTTP server's own overload does). */
    static final int RETRY_AFTER_SECONDS = 1;

    /** The pool whose thread this is, if any: a call made on one runs there rather than waiting for itself. */
    private static final ThreadLocal<ComputePool> CURRENT = new ThreadLocal<>();

    private final int threads;
    private final int queue;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger pending = new AtomicInteger();

    ComputePool(int threads, int queue) {
        this.threads = threads;
        this.queue = queue;
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        var names = Thread.ofPlatform().daemon().name("spindle-compute-", 0).factory();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, waiting,
                task -> names.newThread(() -> {
                    CURRENT.set(this);
                    task.run();
                }));
    }

    /** Runs {@code task} on a compute thread once one is free; {@code Overloaded} when the queue is full. */
    @Override
    public void execute(Runnable task) {
        pending.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException full) {
            pending.decrementAndGet();
            throw new SpindleException(HttpError.Overloaded, "The server is busy computing: " + threads + " runs (code, WebAssembly, scripts) are going and "
                    + queue + " waiting, its limit; retry in " + RETRY_AFTER_SECONDS + " s");
        }
    }

    /**
     * {@code work}'s value, computed on a compute thread while this one waits (at once, here, on a compute
     * thread): for callers that must answer in line, a worker serving MCP or an OpenEnv socket.
     */
    <T> T run(Supplier<T> work) {
        if (CURRENT.get() == this) {
            return work.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) { // an Error too: the caller answers for it
                result.completeExceptionally(e);
            }
        });
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    /** Calls running or waiting for a compute thread now. */
    int pending() {
        return pending.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
