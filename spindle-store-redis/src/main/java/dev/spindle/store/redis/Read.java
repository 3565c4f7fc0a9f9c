package dev.spindle.store.redis;

import java.util.Map;

/** One thing a call on an event loop reads of its session, as {@code SessionData} names it; fetched in one pipeline. */
sealed interface Read {
    record Value(String namespace, String key) implements Read {}

    record Sizes(String namespace) implements Read {}

    record Entries(String namespace) implements Read {}

    record Namespaces() implements Read {}

    /**
     * What one fetch read, all at one version: a {@code byte[]} (or null) per {@link Value}, a
     * {@code NavigableMap<String, Integer>} per {@link Sizes}, a {@code NavigableMap<String, byte[]>} per
     * {@link Entries}, a {@code NavigableSet<String>} for {@link Namespaces}.
     */
    record Fetched(String version, Map<Read, Object> values) {}
}
