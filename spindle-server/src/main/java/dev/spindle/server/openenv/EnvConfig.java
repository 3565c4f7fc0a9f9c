package dev.spindle.server.openenv;

import java.time.Duration;

/**
 * The OpenEnv episodes a server holds ({@code WS /ws}, and {@code POST /mcp} sessions).
 *
 * @param maxEnvs episodes open at once (default 512, at least a trainer's generation batch); one more answers
 *     {@code CAPACITY_REACHED}
 * @param idleTimeout an episode with no frame or call for this long is closed with its socket (default 10 min;
 *     zero turns the reaper off)
 * @param toolTimeout a tool call still running after this answers {@code error_type: timeout} (default 30 s)
 */
public record EnvConfig(int maxEnvs, Duration idleTimeout, Duration toolTimeout) {
    public static final EnvConfig DEFAULTS = new EnvConfig(512, Duration.ofMinutes(10), Duration.ofSeconds(30));

    public EnvConfig {
        if (maxEnvs < 1) {
            throw new IllegalArgumentException("the episode limit must be at least 1, got " + maxEnvs);
        }
        if (idleTimeout.isNegative() || !toolTimeout.isPositive()) {
            throw new IllegalArgumentException("the idle timeout must be 0 (off) or more and the tool timeout positive");
        }
    }

    public EnvConfig withMaxEnvs(int maxEnvs) {
        return new EnvConfig(maxEnvs, idleTimeout, toolTimeout);
    }

    public EnvConfig withIdleTimeout(Duration idleTimeout) {
        return new EnvConfig(maxEnvs, idleTimeout, toolTimeout);
    }

    public EnvConfig withToolTimeout(Duration toolTimeout) {
        return new EnvConfig(maxEnvs, idleTimeout, toolTimeout);
    }
}
