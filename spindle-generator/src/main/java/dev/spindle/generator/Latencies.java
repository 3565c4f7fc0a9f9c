package dev.spindle.generator;

/**
 * Call latencies in logarithmic buckets, eight per doubling, so that memory stays bounded however long the
 * run and a percentile is the upper edge of its bucket: at most 9% above the true value (never above the
 * largest latency seen).
 */
final class Latencies {
    private static final int PER_DOUBLING = 8;
    private final long[] counts = new long[63 * PER_DOUBLING];
    private long total;
    private long maxMicros;

    void add(long micros) {
        long at = Math.max(1, micros);
        counts[(int) Math.floor(Math.log(at) / Math.log(2) * PER_DOUBLING)]++;
        total++;
        maxMicros = Math.max(maxMicros, at);
    }

    long count() {
        return total;
    }

    /** The {@code q}-quantile (0 < q <= 1) in milliseconds, to the microsecond; 0 when nothing was added. */
    double millis(double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int bucket = 0; bucket < counts.length && total > 0; bucket++) {
            seen += counts[bucket];
            if (seen >= rank) {
                double upperMicros = Math.min(Math.pow(2, (bucket + 1) / (double) PER_DOUBLING), maxMicros);
                return Math.round(upperMicros) / 1000.0;
            }
        }
        return 0;
    }
}
