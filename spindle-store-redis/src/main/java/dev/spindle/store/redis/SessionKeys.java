package dev.spindle.store.redis;

import static dev.spindle.store.redis.Utf8.bytes;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Redis keys of one session, all under the hash tag {@code spindle:{<hex id>}} (docs/redis.md "Keys"):
 * the index set of its namespaces, its version counter, and per namespace a hash and the hash of its
 * values' sizes.
 */
final class SessionKeys {
    /** The set of the sessions stored. */
    static final byte[] SESSIONS = bytes("spindle:sessions");
    /** The sessions in use lately: a quick call names its session's keys twice, every call names them. */
    private static final Map<String, SessionKeys> RECENT = new ConcurrentHashMap<>();
    private static final int RECENT_MAX = 4_096;

    final String session;
    final byte[] prefix;
    final byte[] index;
    final byte[] version;
    /** By namespace; the sizes' keys under a NUL-prefixed name, which no namespace has. */
    private final Map<String, byte[]> namespaces = new ConcurrentHashMap<>();

    static SessionKeys of(String session) {
        SessionKeys keys = RECENT.get(session);
        if (keys == null) {
            if (RECENT.size() >= RECENT_MAX) {
                RECENT.clear();
            }
            keys = new SessionKeys(session);
            RECENT.put(session, keys);
        }
        return keys;
    }

    private SessionKeys(String session) {
        this.session = session;
        String tag = "spindle:{" + HexFormat.of().formatHex(bytes(session)) + "}";
        this.prefix = bytes(tag + ":");
        this.index = bytes(tag);
        this.version = bytes(tag + ":v"); // never a namespace key: those end in hex digits
    }

    /** Shared: never to be changed. */
    byte[] namespace(String ns) {
        return namespaces.computeIfAbsent(ns, n -> key("", n));
    }

    /** The hash of the sizes of the namespace's values: never a namespace key, those start with a hex digit. */
    byte[] sizes(String ns) {
        return namespaces.computeIfAbsent("\u0000" + ns, n -> key("s", ns));
    }

    private byte[] key(String kind, String ns) {
        byte[] hex = bytes(kind + HexFormat.of().formatHex(bytes(ns)));
        byte[] key = new byte[prefix.length + hex.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(hex, 0, key, prefix.length, hex.length);
        return key;
    }
}
