package dev.spindle.generator;

import dev.spindle.core.ConfigException;

/**
 * {@code --shard K/N}: the K-th (1-based) of N disjoint parts of a run. Sample {@code i} belongs to the
 * shard whose {@code K - 1} equals {@code i % N}, so the parts together hold the indices one run would.
 */
public record Shard(int k, int n) {
    /** The whole run: one part of one. */
    public static final Shard WHOLE = new Shard(1, 1);

    public Shard {
        if (n < 1 || k < 1 || k > n) {
            throw new ConfigException("--shard " + k + "/" + n + ": K must be between 1 and N");
        }
    }

    /** Parses {@code K/N}; anything else is a {@link ConfigException}. */
    public static Shard parse(String text) {
        String[] parts = text.strip().split("/", -1);
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("--shard " + text + ": expected K/N, e.g. 1/4");
    }

    public boolean holds(int index) {
        return index % n == k - 1;
    }

    boolean whole() {
        return n == 1;
    }
}
