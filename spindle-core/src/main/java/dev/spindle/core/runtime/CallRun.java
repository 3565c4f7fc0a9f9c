package dev.spindle.core.runtime;

import dev.spindle.core.ToolResult;
import java.time.Instant;

/**
 * One run of a call through the pipeline's interceptors: its result, when it ended and how long it took.
 *
 * @param component the serving component's name; null when the tool is unknown everywhere
 */
public record CallRun(String component, ToolResult result, Instant at, long nanos) {
    public long micros() {
        return nanos / 1000;
    }
}
