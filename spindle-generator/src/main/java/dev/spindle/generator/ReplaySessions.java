package dev.spindle.generator;

import dev.spindle.generator.tools.ToolBox;
import dev.spindle.generator.tools.ToolRunner;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Where {@link Verifier} replays records: a fresh session per record, in the state the record started
 * from, with the tools it may call. A generator config's seed files ({@link SeededSessions}) or the task a
 * kept trajectory names (spindle-eval) decide that state.
 */
public interface ReplaySessions {
    /** A fresh session for {@code record}; a {@link Refused} when this record cannot be replayed here. */
    ReplaySession open(JsonNode record);

    /** False when sessions start empty: a record that misses its files then hints at a forgotten seed. */
    default boolean seeded() {
        return true;
    }

    /** After a dataset: releases what the sessions shared. */
    default void finish() {}

    /**
     * One record's session: its tools ({@code tools} null when any tool of the service may be called), whose
     * they are as an unknown tool's detail names them ({@code toolSet}), how the final state disagrees with
     * what the record claims of it after the calls ({@code outcome}, a task's reward; empty when it agrees),
     * and how it is removed.
     */
    record ReplaySession(String id, ToolRunner runner, ToolBox tools, String toolSet, Supplier<Optional<String>> outcome, Runnable closer)
            implements AutoCloseable {
        public Optional<String> outcomeDiffers() {
            return outcome.get();
        }

        @Override
        public void close() {
            closer.run();
        }
    }

    /** The record says nothing this replay can start from (no task, a task not given): it is invalid here. */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }
}
