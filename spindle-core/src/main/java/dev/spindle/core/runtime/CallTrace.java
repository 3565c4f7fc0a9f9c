package dev.spindle.core.runtime;

import dev.spindle.core.Json;
import dev.spindle.core.ToolResult;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.TraceSnapshot;
import java.time.Instant;
import java.util.ArrayDeque;
import tools.jackson.databind.JsonNode;

/**
 * A session's calls in order, bounded whatever the calls carry: each call keeps a preview of its
 * arguments of about {@value #MAX_TEXT} bytes of JSON and at most {@value #MAX_TEXT} characters of its
 * result (see {@link TracePreview}), and the oldest calls are dropped past {@code limit} calls or
 * {@value #MAX_BYTES} bytes of JSON in all, so that a session that moves big files or deep JSON cannot
 * make its trace, or the answer to {@code GET /sessions/{id}/trace}, hold them. Kept in memory: the
 * trace of a session on a store that is not shared.
 */
final class CallTrace implements Trace {
    static final int MAX_TEXT = 16 * 1024;
    static final long MAX_BYTES = 2L << 20;
    /** What a kept call costs besides its arguments and result: names, times, the record itself. */
    private static final int ENTRY_OVERHEAD = 200;

    private final int limit;
    private final ArrayDeque<Kept> entries = new ArrayDeque<>();
    private long bytes;
    private long dropped;
    private long next = 1;

    private record Kept(TraceEntry entry, long size) {}

    /** {@code limit} 0 keeps no call. */
    CallTrace(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("trace limit must be 0 or more, got " + limit);
        }
        this.limit = limit;
    }

    /** A call cut to the trace's bounds, before it has its place in the order. */
    record Draft(Instant at, String component, String tool, JsonNode args, ToolResult result, String keptResult,
            long durationMicros, long argsSize) {
        TraceEntry entry(long seq) {
            return new TraceEntry(seq, at, component, tool, args, result.success(), keptResult, result.errorType(), durationMicros);
        }

        /** What it weighs in memory; measured only when asked, since a stored trace counts its bytes itself. */
        long size() {
            return ENTRY_OVERHEAD + argsSize + TracePreview.jsonBytes(keptResult);
        }
    }

    static Draft draft(Instant at, String component, String tool, JsonNode args, ToolResult result, long durationMicros) {
        TracePreview keptArgs = TracePreview.of(args, MAX_TEXT);
        String keptResult = result.value().isString() ? TracePreview.cut(result.value().stringValue(), MAX_TEXT)
                : Json.write(TracePreview.of(result.value(), MAX_TEXT).value());
        return new Draft(at, component, tool, keptArgs.value(), result, keptResult, durationMicros, keptArgs.size());
    }

    @Override
    public boolean add(Instant at, String component, String tool, JsonNode args, ToolResult result, long durationMicros) {
        Draft draft = draft(at, component, tool, args, result, durationMicros);
        long size = draft.size();
        synchronized (this) {
            long seq = next++;
            if (limit == 0) {
                dropped++;
                return true;
            }
            while (!entries.isEmpty() && (entries.size() >= limit || bytes + size > MAX_BYTES)) {
                bytes -= entries.removeFirst().size();
                dropped++;
            }
            entries.addLast(new Kept(draft.entry(seq), size));
            bytes += size;
        }
        return true;
    }

    @Override
    public synchronized TraceSnapshot snapshot() {
        return new TraceSnapshot(entries.stream().map(Kept::entry).toList(), dropped);
    }

    @Override
    public synchronized int size() {
        return entries.size();
    }

}
