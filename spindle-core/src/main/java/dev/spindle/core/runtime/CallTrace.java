package dev.spindle.core.runtime;

import dev.spindle.core.ToolResult;
import dev.spindle.core.TraceEntry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A session's calls in order, bounded: past {@code limit} the oldest are dropped, and text longer than
 * {@value #MAX_TEXT} characters (a result, a top-level string argument) is cut, so that a session that
 * reads big files cannot make its trace hold them a thousand times.
 */
final class CallTrace {
    static final int MAX_TEXT = 64 * 1024;

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
        entries.addLast(new TraceEntry(next++, at, component, tool, compact(args), result.success(), cut(result.result()), result.errorType(), durationMicros));
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "... [" + (text.length() - MAX_TEXT) + " more characters]";
    }

    /** The arguments, with over-long top-level strings cut (a copy only when something is cut). */
    private static JsonNode compact(JsonNode args) {
        if (!(args instanceof ObjectNode object)) {
            return args;
        }
        ObjectNode copy = null;
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (field.getValue().isString() && field.getValue().stringValue().length() > MAX_TEXT) {
                if (copy == null) {
                    copy = object.deepCopy();
                }
                copy.put(field.getKey(), cut(field.getValue().stringValue()));
            }
        }
        return copy == null ? args : copy;
    }

    synchronized List<TraceEntry> snapshot() {
        return List.copyOf(entries);
    }

    synchronized int size() {
        return entries.size();
    }
}
