package dev.spindle.core;

import java.util.Map;

/**
 * How to open a session: an optional id (one is generated otherwise), files to seed (path to UTF-8
 * text), an optional idle TTL that overrides the runtime's default, and an optional seed (0 or more)
 * from which the session's deterministic parts (scripted mock tools' clock and random numbers) are drawn.
 */
public record SessionSpec(String sessionId, Map<String, String> files, Long ttlSeconds, Long seed) {
    public SessionSpec {
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    /** A session without a seed. */
    public SessionSpec(String sessionId, Map<String, String> files, Long ttlSeconds) {
        this(sessionId, files, ttlSeconds, null);
    }

    public static SessionSpec seeded(Map<String, String> files) {
        return new SessionSpec(null, files, null);
    }
}
