package dev.spindle.generator;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Samples done so far, on stderr: a bar redrawn in place on a terminal; elsewhere (a log file, CI, a
 * pipe) a plain line every {@link #EVERY} and one at the end, since carriage returns would pile up there.
 */
public abstract sealed class Progress implements AutoCloseable {
    static final Duration EVERY = Duration.ofSeconds(10);

    /** A sample (or attempt) finished; {@code ok} and {@code failed} are the run's totals so far. */
    public abstract void step(int ok, int failed);

    @Override
    public abstract void close();

    /** {@code unit} names what is counted: "samples", "attempts". */
    public static Progress start(String unit, int total, Consumer<String> lines) {
        boolean terminal = System.console() != null && System.console().isTerminal();
        return terminal ? new Bar(unit, total) : new Lines(unit, total, lines);
    }

    private static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(String unit, int total) {
            bar = new ProgressBarBuilder().setTaskName(unit).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).showSpeed().continuousUpdate().build();
        }

        @Override
        public void step(int ok, int failed) {
            bar.step();
            bar.setExtraMessage(" ok " + ok + " failed " + failed);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    private static final class Lines extends Progress {
        private final String unit;
        private final int total;
        private final Consumer<String> lines;
        private final long start = System.nanoTime();
        private final AtomicInteger ok = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());

        Lines(String unit, int total, Consumer<String> lines) {
            this.unit = unit;
            this.total = total;
            this.lines = lines;
            ticker.scheduleAtFixedRate(this::print, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void step(int ok, int failed) {
            this.ok.set(ok);
            this.failed.set(failed);
        }

        private void print() {
            int done = ok.get() + failed.get();
            double seconds = (System.nanoTime() - start) / 1e9;
            lines.accept(String.format("%s: %d/%d (%d ok, %d failed), %.2f/s, %ds elapsed", unit, done, total, ok.get(), failed.get(),
                    seconds == 0 ? 0 : done / seconds, Math.round(seconds)));
        }

        @Override
        public void close() {
            ticker.shutdownNow();
            print();
        }
    }
}
