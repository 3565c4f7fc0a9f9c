package dev.spindle.env;

import dev.spindle.core.TraceSnapshot;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A session's final state as the assertions see it: its files (key to text), the files the task seeded,
 * its trace, and, computed only when an assertion asks, its state digest and the reference run's.
 */
record Evidence(Map<String, String> files, Map<String, String> seeded, TraceSnapshot trace,
        Supplier<String> digest, Supplier<Reference> reference) {

    /** The state digest the task's reference solution produces, or why it could not run to the end. */
    record Reference(String digest, String failure) {}
}
