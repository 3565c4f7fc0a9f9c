package dev.spindle.core.runtime;

import dev.spindle.core.Json;
import dev.spindle.core.store.SessionData;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a session's existence is written in the store, so that it survives a restart and every instance on
 * a shared store knows it: namespace {@value #NAMESPACE}, entry {@value #KEY} (creation, TTL, incarnation,
 * fork source, seed, as JSON) and entry {@value #USED_KEY} (the last use shared, in epoch milliseconds).
 */
final class SessionMeta {
    static final String NAMESPACE = "session";
    static final String KEY = "meta";
    static final String USED_KEY = "last_used";
    static final String INCARNATION = "incarnation";

    private SessionMeta() {}

    /**
     * Writes the session's metadata and its creation as its first shared use, so a listing sorts by the
     * {@value #USED_KEY} entry alone (a fork's copy of its source's is replaced).
     */
    static void write(SessionData data, LiveSession session) {
        data.put(NAMESPACE, KEY, encode(session));
        data.put(NAMESPACE, USED_KEY, millis(session.createdAt.toEpochMilli()));
    }

    private static byte[] encode(LiveSession session) {
        ObjectNode meta = Json.object().put("created_at", session.createdAt.toString()).put("ttl_seconds", session.ttl.toSeconds())
                .put(INCARNATION, session.incarnation);
        if (session.forkedFrom != null) {
            meta.put("forked_from", session.forkedFrom);
        }
        if (session.seed != null) {
            meta.put("seed", session.seed);
        }
        return Json.writeBytes(meta);
    }

    /** The stored incarnation; metadata written before there were any tells sessions apart by creation time. */
    static String incarnation(JsonNode meta) {
        return meta.path(INCARNATION).asString(meta.path("created_at").asString());
    }

    /** The {@value #USED_KEY} entry's time (0 when there is none). */
    static long usedMillis(byte[] used) {
        return used == null ? 0 : Long.parseLong(new String(used, StandardCharsets.US_ASCII));
    }

    static byte[] millis(long millis) {
        return Long.toString(millis).getBytes(StandardCharsets.US_ASCII);
    }
}
