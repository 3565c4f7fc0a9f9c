package dev.spindle.core.store;

import java.util.Map;

/** How much one namespace of one session holds: its entries and the bytes of their values. */
public record Usage(int entries, long bytes) {
    public static final Usage NONE = new Usage(0, 0);

    /** Sums what {@link SessionData#sizes} lists. */
    public static Usage of(Map<String, Integer> sizes) {
        return new Usage(sizes.size(), sizes.values().stream().mapToLong(Integer::longValue).sum());
    }
}
