package dev.spindle.core;

import java.util.Map;

/**
 * How to open a session: an optional id (one is generated otherwise), files to seed (path to UTF-8
 * text) and an optional idle TTL that overrides the runtime's default.
 */
public record SessionSpec(String sessionId, Map<String, String> files, Long ttlSeconds) {
    public SessionSpec {
        files = files == null ? Map.of() : Map.copyOf(files);
    }

    public static SessionSpec seeded(Map<String, String> files) {
        return new SessionSpec(null, files, null);
    }
}
