package dev.spindle.core;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** One tool call as the session's trace records it, in call order. */
public record TraceEntry(
        long seq,
        Instant at,
        String component,
        String tool,
        JsonNode args,
        boolean success,
        String result,
        FailureKind errorType,
        long durationMicros) {}
