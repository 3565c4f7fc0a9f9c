package dev.spindle.core.runtime;

import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolResult;
import dev.spindle.core.TraceSnapshot;
import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.SessionData;
import dev.spindle.core.wire.Wire;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A session's trace kept in a shared store, so that every instance lists the calls any of them served, in
 * one order: a {@link BoundedLog}, living as long as the session's metadata, in namespace {@value #NS}, its counters one metadata entry, appended in one
 * atomic store step that also drops the oldest calls past the limit or {@value CallTrace#MAX_BYTES} bytes of
 * JSON, as {@link CallTrace} does in memory.
 */
final class StoredTrace implements Trace {
    private static final Logger LOG = Logger.getLogger(StoredTrace.class.getName());
    static final String NS = "trace";
    private static final String COUNTERS = "trace";

    private final KeyValueStore store;
    private final String session;
    private final BoundedLog log;

    StoredTrace(KeyValueStore store, String session, int limit) {
        this.store = store;
        this.session = session;
        this.log = log(limit);
    }

    /** False when the session's metadata is gone from the store: another instance closed it. */
    @Override
    public boolean add(Instant at, String component, String tool, JsonNode args, ToolResult result, long durationMicros) {
        try {
            return store.append(session, log, entry(at, component, tool, args, result, durationMicros)) > 0;
        } catch (SpindleException e) { // the store is unreachable: the call still answers, its own failure if any
            LOG.warning(() -> "event=trace_lost session=" + session + " tool=" + tool + " error=" + e.getMessage());
            return true;
        }
    }

    /** A call's entry as stored: without its sequence number, which the store gives it (its key). */
    static byte[] entry(Instant at, String component, String tool, JsonNode args, ToolResult result, long durationMicros) {
        ObjectNode entry = Wire.traceEntry(CallTrace.draft(at, component, tool, args, result, durationMicros).entry(0));
        entry.remove("seq");
        return Json.writeBytes(entry);
    }

    @Override
    public Optional<BoundedLog> inStore() {
        return Optional.of(log);
    }

    @Override
    public TraceSnapshot snapshot() {
        return store.read(session, data -> new TraceSnapshot(data.entries(NS).entrySet().stream()
                .map(e -> Wire.traceEntry(((ObjectNode) Json.parse(e.getValue())).put("seq", Long.parseLong(e.getKey())))).toList(),
                log.counters(data).dropped()));
    }

    @Override
    public int size() {
        return store.read(session, data -> size(data.get(SessionMeta.NAMESPACE, COUNTERS)));
    }

    /** The calls kept, from the session's metadata entries as a listing reads them in bulk. */
    static int size(Map<String, byte[]> meta) {
        return size(meta.get(COUNTERS));
    }

    private static int size(byte[] counters) {
        BoundedLog.Counters c = BoundedLog.counters(counters);
        return (int) (c.next() - c.first());
    }

    /** Forgets the calls in the session's data, as a fork copied them from its source. */
    static void clear(SessionData data) {
        log(0).clear(data);
    }

    private static BoundedLog log(int limit) {
        return new BoundedLog(NS, SessionMeta.NAMESPACE, COUNTERS, SessionMeta.KEY, limit, CallTrace.MAX_BYTES);
    }
}
