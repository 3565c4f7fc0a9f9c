package dev.spindle.core.runtime;

import dev.spindle.core.ToolResult;
import dev.spindle.core.TraceSnapshot;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A session's calls in order, bounded: {@link CallTrace} in memory, {@link StoredTrace} in a shared store. */
interface Trace {
    void add(Instant at, String component, String tool, JsonNode args, ToolResult result, long durationMicros);

    TraceSnapshot snapshot();

    /** The calls kept. */
    int size();
}
