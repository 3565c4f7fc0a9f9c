package dev.spindle.env;

import dev.spindle.core.TraceSnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A session's final state as the assertions see it: its files (key to text), the files the task seeded,
 * its trace, and, computed only when an assertion asks, its state digest and the reference run's; and a
 * way to run a command over that state without changing it ({@link Commands}).
 */
record Evidence(Map<String, String> files, Map<String, String> seeded, TraceSnapshot trace,
        Supplier<String> digest, Supplier<Reference> reference, Commands commands) {

    /** The state digest the task's reference solution produces, or why it could not run to the end. */
    record Reference(String digest, String failure) {}

    /** Runs a verifier's command over a throwaway copy of the session: the graded state and trace stay as they are. */
    @FunctionalInterface
    interface Commands {
        /** {@code report}: a file to read back after the command (a JUnit report), or null. */
        CommandRun run(String command, Duration timeout, String report);
    }

    /**
     * How a command ended; {@code failure} when it could not run to its end (a timeout, no sandbox here), and
     * then the rest is empty. {@code report}: the report file's text, null when there was none.
     */
    record CommandRun(int exitCode, String stdout, String stderr, String report, String failure) {
        static CommandRun failed(String why) {
            return new CommandRun(-1, "", "", null, why);
        }
    }
}
