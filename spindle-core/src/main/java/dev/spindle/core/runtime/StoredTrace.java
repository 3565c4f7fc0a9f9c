package dev.spindle.core.runtime;

import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolResult;
import dev.spindle.core.TraceSnapshot;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.SessionData;
import dev.spindle.core.wire.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;

/**
 * A session's trace kept in a shared store, so that every instance lists the calls any of them served, in
 * one order. Each call is one entry of namespace {@value #NS} keyed by its zero-padded sequence number;
 * the counters (next number, oldest kept, bytes kept, dropped) are one metadata entry written in the same
 * atomic store write, which also drops the oldest calls past the limit or {@value CallTrace#MAX_BYTES}
 * bytes of JSON, as {@link CallTrace} does in memory.
 */
final class StoredTrace implements Trace {
    private static final Logger LOG = Logger.getLogger(StoredTrace.class.getName());
    static final String NS = "trace";
    private static final String COUNTERS = "trace";

    private final KeyValueStore store;
    private final String session;
    private final int limit;

    StoredTrace(KeyValueStore store, String session, int limit) {
        this.store = store;
        this.session = session;
        this.limit = limit;
    }

    /** Next sequence number, oldest kept, bytes kept, calls dropped. */
    private record Counters(long next, long first, long bytes, long dropped) {
        static Counters of(SessionData data) {
            byte[] stored = data.get(Sessions.META_NS, COUNTERS);
            if (stored == null) {
                return new Counters(1, 1, 0, 0);
            }
            long[] n = Arrays.stream(new String(stored, StandardCharsets.US_ASCII).split(" ")).mapToLong(Long::parseLong).toArray();
            return new Counters(n[0], n[1], n[2], n[3]);
        }

        byte[] bytesOf() {
            return (next + " " + first + " " + bytes + " " + dropped).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static String key(long seq) {
        return String.format("%019d", seq);
    }

    @Override
    public void add(Instant at, String component, String tool, JsonNode args, ToolResult result, long durationMicros) {
        CallTrace.Draft draft = CallTrace.draft(at, component, tool, args, result, durationMicros);
        try {
            append(draft);
        } catch (SpindleException e) { // the store is unreachable: the call still answers, its own failure if any
            LOG.warning(() -> "event=trace_lost session=" + session + " tool=" + tool + " error=" + e.getMessage());
        }
    }

    private void append(CallTrace.Draft draft) {
        store.write(session, data -> {
            Counters c = Counters.of(data);
            long seq = c.next();
            if (limit == 0) {
                data.put(Sessions.META_NS, COUNTERS, new Counters(seq + 1, seq + 1, 0, c.dropped() + 1).bytesOf());
                return null;
            }
            byte[] entry = Json.writeBytes(Wire.traceEntry(draft.entry(seq)));
            long first = c.first();
            long bytes = c.bytes();
            long dropped = c.dropped();
            while (first < seq && (seq - first >= limit || bytes + entry.length > CallTrace.MAX_BYTES)) {
                byte[] oldest = data.get(NS, key(first));
                if (oldest != null) {
                    bytes -= oldest.length;
                    data.delete(NS, key(first));
                }
                first++;
                dropped++;
            }
            data.put(NS, key(seq), entry);
            data.put(Sessions.META_NS, COUNTERS, new Counters(seq + 1, first, bytes + entry.length, dropped).bytesOf());
            return null;
        });
    }

    @Override
    public TraceSnapshot snapshot() {
        return store.read(session, data -> new TraceSnapshot(
                data.entries(NS).values().stream().map(entry -> Wire.traceEntry(Json.parse(entry))).toList(), Counters.of(data).dropped()));
    }

    @Override
    public int size() {
        return store.read(session, data -> {
            Counters c = Counters.of(data);
            return (int) (c.next() - c.first());
        });
    }

    /** Forgets the calls in the session's data, as a fork copied them from its source. */
    static void clear(SessionData data) {
        data.entries(NS).keySet().forEach(key -> data.delete(NS, key));
        data.delete(Sessions.META_NS, COUNTERS);
    }
}
