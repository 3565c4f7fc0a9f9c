package dev.spindle.core.runtime;

import dev.spindle.core.ToolResult;
import dev.spindle.core.TraceEntry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A session's calls in order, bounded: past {@code limit} the oldest are dropped. */
final class CallTrace {
    private final int limit;
    private final ArrayDeque<TraceEntry> entries = new ArrayDeque<>();
    private long next = 1;

    CallTrace(int limit) {
        this.limit = limit;
    }

    synchronized void add(Instant at, String component, String tool, JsonNode args, ToolResult result, long durationMicros) {
        if (entries.size() == limit) {
            entries.removeFirst();
        }
        entries.addLast(new TraceEntry(next++, at, component, tool, args, result.success(), result.result(), result.errorType(), durationMicros));
    }

    synchronized List<TraceEntry> snapshot() {
        return List.copyOf(entries);
    }

    synchronized int size() {
        return entries.size();
    }
}
