package dev.spindle.core;

import java.time.Instant;

/** What is known about a live session; {@code seed} is null when it was opened without one. */
public record SessionInfo(
        String sessionId,
        int files,
        long bytes,
        int calls,
        Instant createdAt,
        Instant lastUsedAt,
        Instant expiresAt,
        String forkedFrom,
        Long seed) {}
