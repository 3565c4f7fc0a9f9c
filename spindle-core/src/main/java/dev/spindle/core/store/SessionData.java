package dev.spindle.core.store;

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

    /** Every key of the namespace with its value, in key order; a fresh map the caller owns. */
    NavigableMap<String, byte[]> entries(String namespace);

    /** Every namespace holding at least one key, in order; a fresh set the caller owns (a snapshot lists them all). */
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
