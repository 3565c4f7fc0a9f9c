package dev.spindle.core;

import java.util.Map;

/**
 * How to open a session: an optional id (one is generated otherwise), files to seed (path to UTF-8
 * text), an optional idle TTL that overrides the runtime's default, and an optional seed from which
 * whatever the session's tools draw at random (or read from a clock) is derived, so that the same seed
 * gives the same episode.
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
