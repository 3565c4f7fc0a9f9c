package dev.spindle.server;

import tools.jackson.databind.JsonNode;

/**
 * Replays one dataset record's tool calls for real, for the web console's verify button. The CLI gives
 * the generator's {@code Verifier}: the server cannot depend on the generator (whose tests start servers).
 */
@FunctionalInterface
public interface RecordVerifier {
    /**
     * {@code {status, detail, calls: [{position, id, tool, arguments, recorded, actual, matches, error_type?, diff?}]}},
     * where {@code status} is one of the verify command's outcomes ({@code ok}, {@code mismatch}, ...).
     */
    JsonNode verify(JsonNode record);
}
