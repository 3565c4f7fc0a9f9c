package dev.spindle.core.store;

import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;

/** One session's data inside a {@link KeyValueStore#read} or {@link KeyValueStore#write} call. */
public interface SessionData {

    /** The value, or null when absent. Returned arrays must not be modified. */
    byte[] get(String namespace, String key);

    void put(String namespace, String key, byte[] value);

    boolean delete(String namespace, String key);

    /** Every key of the namespace with the size of its value in bytes, in key order; a fresh map the caller owns. */
    NavigableMap<String, Integer> sizes(String namespace);

    /**
     * {@link #sizes} of several namespaces, in the order given; a backend may fetch them in one round trip
     * (Redis pipelines them).
     */
    default List<NavigableMap<String, Integer>> sizes(List<String> namespaces) {
        return namespaces.stream().map(this::sizes).toList();
    }

    /** Every key of the namespace with its value, in key order; a fresh map the caller owns. */
    NavigableMap<String, byte[]> entries(String namespace);

    /** Every namespace holding at least one entry, in name order; a fresh set the caller owns. */
    NavigableSet<String> namespaces();

    /** Reads only, as {@link KeyValueStore#read} gives them; a write view extends it with put and delete. */
    interface ReadOnly extends SessionData {
        @Override
        default void put(String namespace, String key, byte[] value) {
            throw new UnsupportedOperationException("read-only: use KeyValueStore.write");
        }

        @Override
        default boolean delete(String namespace, String key) {
            throw new UnsupportedOperationException("read-only: use KeyValueStore.write");
        }
    }
}
