package dev.spindle.core.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * The fastest store: nested maps in the heap, lost on exit. Reads take no lock; writes to one session
 * are serialised on that session's monitor and applied to a copy-on-abort journal so that a failed
 * write leaves nothing behind. Values are shared, never copied: nobody mutates a stored array.
 */
public final class MemoryStore implements KeyValueStore {
    /** What a session without data reads as; {@link Live} never writes, so it stays empty. */
    private static final Partition EMPTY = new Partition();

    private final ConcurrentHashMap<String, Partition> sessions = new ConcurrentHashMap<>();

    /** One session's namespaces. */
    private static final class Partition {
        /** Set under the monitor when the partition leaves the map; a writer that finds it set retries. */
        boolean detached;
        final ConcurrentHashMap<String, ConcurrentSkipListMap<String, byte[]>> namespaces = new ConcurrentHashMap<>(4);

        ConcurrentSkipListMap<String, byte[]> namespace(String name) {
            return namespaces.computeIfAbsent(name, n -> new ConcurrentSkipListMap<>());
        }
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public <T> T read(String session, Function<SessionData, T> work) {
        Partition partition = sessions.get(session);
        return work.apply(new Live(partition == null ? EMPTY : partition));
    }

    @Override
    public <T> T write(String session, Function<SessionData, T> work) {
        while (true) {
            Partition partition = sessions.computeIfAbsent(session, s -> new Partition());
            synchronized (partition) {
                if (partition.detached) {
                    continue;
                }
                Journaled data = new Journaled(partition);
                try {
                    T result = work.apply(data);
                    if (partition.namespaces.values().stream().allMatch(Map::isEmpty)) {
                        partition.detached = true;
                        sessions.remove(session, partition);
                    }
                    return result;
                } catch (RuntimeException | Error e) {
                    data.rollback();
                    throw e;
                }
            }
        }
    }

    @Override
    public Map<String, Integer> deleteSession(String session) {
        Partition partition = sessions.remove(session);
        Map<String, Integer> counts = new HashMap<>();
        if (partition != null) {
            synchronized (partition) {
                partition.detached = true;
                partition.namespaces.forEach((ns, map) -> counts.put(ns, map.size()));
            }
        }
        return counts;
    }

    @Override
    public void copySession(String from, String to) {
        Partition source = sessions.get(from);
        Partition copy = new Partition();
        if (source != null) {
            synchronized (source) {
                source.namespaces.forEach((ns, map) -> copy.namespaces.put(ns, new ConcurrentSkipListMap<>(map)));
            }
        }
        Partition replaced = sessions.put(to, copy);
        if (replaced != null) {
            synchronized (replaced) {
                replaced.detached = true;
            }
        }
    }

    @Override
    public List<String> sessions() {
        return new ArrayList<>(sessions.keySet());
    }

    @Override
    public void close() {}

    /** Reads straight from the live maps. */
    private static class Live implements SessionData.ReadOnly {
        final Partition partition;

        Live(Partition partition) {
            this.partition = partition;
        }

        @Override
        public byte[] get(String namespace, String key) {
            var map = partition.namespaces.get(namespace);
            return map == null ? null : map.get(key);
        }

        @Override
        public NavigableMap<String, Integer> sizes(String namespace) {
            TreeMap<String, Integer> sizes = new TreeMap<>();
            var map = partition.namespaces.get(namespace);
            if (map != null) {
                map.forEach((k, v) -> sizes.put(k, v.length));
            }
            return sizes;
        }

        @Override
        public NavigableMap<String, byte[]> entries(String namespace) {
            var map = partition.namespaces.get(namespace);
            return map == null ? new TreeMap<>() : new TreeMap<>(map);
        }

        @Override
        public NavigableSet<String> namespaces() {
            TreeSet<String> names = new TreeSet<>();
            partition.namespaces.forEach((ns, map) -> {
                if (!map.isEmpty()) {
                    names.add(ns);
                }
            });
            return names;
        }
    }

    /** Writes to the live maps and remembers the previous values, so a failed write can be undone. */
    private static final class Journaled extends Live {
        private final List<Runnable> undo = new ArrayList<>();

        Journaled(Partition partition) {
            super(partition);
        }

        @Override
        public void put(String namespace, String key, byte[] value) {
            var map = partition.namespace(namespace);
            byte[] previous = map.put(key, value);
            undo.add(() -> restore(map, key, previous));
        }

        @Override
        public boolean delete(String namespace, String key) {
            var map = partition.namespaces.get(namespace);
            byte[] previous = map == null ? null : map.remove(key);
            if (previous != null) {
                undo.add(() -> restore(map, key, previous));
            }
            return previous != null;
        }

        private static void restore(Map<String, byte[]> map, String key, byte[] previous) {
            if (previous == null) {
                map.remove(key);
            } else {
                map.put(key, previous);
            }
        }

        void rollback() {
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
        }
    }
}
