package dev.spindle.core.store;

import java.util.NavigableMap;
import java.util.function.Function;

/**
 * One namespace of one partition of the store: what a component sees of its own state. It cannot name
 * another component's namespace or another session's partition.
 */
public final class KeyValueScope {
    private final KeyValueStore store;
    private final String partition;
    private final String namespace;

    public KeyValueScope(KeyValueStore store, String partition, String namespace) {
        this.store = store;
        this.partition = partition;
        this.namespace = namespace;
    }

    /** The namespace's keys and values within one atomic write (or read), as a {@link KeyValueStore#write} does. */
    public interface Data {
        byte[] get(String key);

        void put(String key, byte[] value);

        boolean delete(String key);

        NavigableMap<String, byte[]> entries();
    }

    /**
     * A second namespace of the same partition for the owner's bookkeeping (a version counter, say), apart
     * from its entries; no other component's namespace can be named so.
     */
    public KeyValueScope companion(String name) {
        return new KeyValueScope(store, partition, namespace + "\u0000" + name);
    }

    public byte[] get(String key) {
        return store.read(partition, data -> data.get(namespace, key));
    }

    public NavigableMap<String, byte[]> entries() {
        return store.read(partition, data -> data.entries(namespace));
    }

    /** Runs {@code work} as one atomic write of this partition. */
    public <T> T write(Function<Data, T> work) {
        return store.write(partition, data -> work.apply(new Data() {
            @Override
            public byte[] get(String key) {
                return data.get(namespace, key);
            }

            @Override
            public void put(String key, byte[] value) {
                data.put(namespace, key, value);
            }

            @Override
            public boolean delete(String key) {
                return data.delete(namespace, key);
            }

            @Override
            public NavigableMap<String, byte[]> entries() {
                return data.entries(namespace);
            }
        }));
    }
}
