package dev.spindle.core.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An ordered log in one namespace of a session, bounded: each entry is kept under its zero-padded sequence
 * number, and one entry of {@code countersNamespace} holds the counters (next number, oldest kept, bytes
 * kept, entries dropped) as ASCII {@code "next first bytes dropped"}. An append drops the oldest entries
 * past {@code limit} entries or {@code maxBytes} bytes; {@code limit} 0 keeps none but still counts them.
 * The log lives only while {@code countersNamespace} holds {@code ownerKey} (the session's metadata, say):
 * an append without it changes nothing and answers 0. {@link KeyValueStore#append} runs it as one atomic
 * write; a backend may run the same rules its own way.
 */
public record BoundedLog(String namespace, String countersNamespace, String countersKey, String ownerKey, int limit, long maxBytes) {

    /** Next sequence number, oldest kept, bytes kept, entries dropped. */
    public record Counters(long next, long first, long bytes, long dropped) {
        byte[] bytesOf() {
            return (next + " " + first + " " + bytes + " " + dropped).getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The key of entry {@code seq}: fixed width, so keys sort as the numbers do. */
    public static String key(long seq) {
        return String.format("%019d", seq);
    }

    public Counters counters(SessionData data) {
        return counters(data.get(countersNamespace, countersKey));
    }

    /** The counters as stored in the {@code countersKey} entry (null when there is none yet). */
    public static Counters counters(byte[] stored) {
        if (stored == null) {
            return new Counters(1, 1, 0, 0);
        }
        long[] n = Arrays.stream(new String(stored, StandardCharsets.US_ASCII).split(" ")).mapToLong(Long::parseLong).toArray();
        return new Counters(n[0], n[1], n[2], n[3]);
    }

    /** Appends {@code entry} inside a write; answers its sequence number, 0 when the owner is gone. */
    public long append(SessionData data, byte[] entry) {
        if (data.get(countersNamespace, ownerKey) == null) {
            return 0;
        }
        Counters c = counters(data);
        long seq = c.next();
        if (limit == 0) {
            data.put(countersNamespace, countersKey, new Counters(seq + 1, seq + 1, 0, c.dropped() + 1).bytesOf());
            return seq;
        }
        long first = c.first();
        long bytes = c.bytes();
        long dropped = c.dropped();
        while (first < seq && (seq - first >= limit || bytes + entry.length > maxBytes)) {
            byte[] oldest = data.get(namespace, key(first));
            if (oldest != null) {
                bytes -= oldest.length;
                data.delete(namespace, key(first));
            }
            first++;
            dropped++;
        }
        data.put(namespace, key(seq), entry);
        data.put(countersNamespace, countersKey, new Counters(seq + 1, first, bytes + entry.length, dropped).bytesOf());
        return seq;
    }

    /** Forgets every entry and the counters, inside a write. */
    public void clear(SessionData data) {
        data.entries(namespace).keySet().forEach(key -> data.delete(namespace, key));
        data.delete(countersNamespace, countersKey);
    }
}
