package dev.spindle.core.runtime;

import dev.spindle.core.ToolResult;
import dev.spindle.core.TraceSnapshot;
import dev.spindle.core.store.BoundedLog;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** A session's calls in order, bounded: {@link CallTrace} in memory, {@link StoredTrace} in a shared store. */
interface Trace {
    /** Records a call; false when the session turned out to be gone from a shared store (nothing recorded). */
    boolean add(Instant at, String component, String tool, JsonNode args, ToolResult result, long durationMicros);

    TraceSnapshot snapshot();

    /** The calls kept. */
    int size();

    /** The log in the store this trace reads, for a call that commits its entry together with its changes; empty when the trace is in memory. */
    default Optional<BoundedLog> inStore() {
        return Optional.empty();
    }
}
