package dev.spindle.core;

import java.time.Instant;

/** What is known about a live session. */
public record SessionInfo(
        String sessionId,
        int files,
        long bytes,
        int calls,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt,
        String forkedFrom) {}
