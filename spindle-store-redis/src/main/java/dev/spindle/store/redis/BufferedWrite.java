package dev.spindle.store.redis;

import dev.spindle.core.store.PendingChanges;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * One try of an optimistic write (docs/redis.md "Writes"): reads Redis through its own pending changes,
 * noting the session's version with its first read, in the same round trip; {@link #commit} applies the
 * changes in one script only if the version is unchanged then.
 */
final class BufferedWrite extends SessionReader {
    final PendingChanges changes = new PendingChanges();
    /** The version the reads saw ({@code ""} when the session has none), null before the first read. */
    private byte[] version;

    BufferedWrite(Jedis redis, SessionKeys keys) {
        super(redis, keys);
    }

    @Override
    <T> T query(Function<Pipeline, Supplier<T>> commands) {
        if (version != null) {
            return super.query(commands);
        }
        return super.query(p -> {
            Response<byte[]> seen = p.get(keys.version);
            Supplier<T> reply = commands.apply(p);
            return () -> {
                version = seen.get() == null ? new byte[0] : seen.get();
                return reply.get();
            };
        });
    }

    @Override
    public byte[] get(String namespace, String key) {
        return changes.has(namespace, key) ? changes.value(namespace, key) : super.get(namespace, key);
    }

    @Override
    public void put(String namespace, String key, byte[] value) {
        changes.put(namespace, key, value);
    }

    @Override
    public boolean delete(String namespace, String key) {
        boolean present = get(namespace, key) != null;
        changes.delete(namespace, key);
        return present;
    }

    @Override
    List<NavigableMap<String, byte[]>> entries(List<String> namespaces) {
        return withChanges(namespaces, super.entries(namespaces), value -> value);
    }

    @Override
    public List<NavigableMap<String, Integer>> sizes(List<String> namespaces) {
        return withChanges(namespaces, super.sizes(namespaces), value -> value.length);
    }

    /** What Redis holds of {@code namespaces} with this write's pending changes applied, seen through {@code view}. */
    private <V> List<NavigableMap<String, V>> withChanges(List<String> namespaces, List<NavigableMap<String, V>> stored,
            Function<byte[], V> view) {
        for (int i = 0; i < namespaces.size(); i++) {
            changes.overlay(namespaces.get(i), stored.get(i), view);
        }
        return stored;
    }

    @Override
    public NavigableSet<String> namespaces() {
        return changes.namespaces(super.namespaces(), this::sizes);
    }

    /** Applies the changes if nobody wrote the session since the version was read; false if somebody did. */
    boolean commit() {
        return (Long) Scripts.COMMIT.run(redis, Scripts.sessionKeys(keys), Scripts.commitArgs(keys, version, changes)) == 1L;
    }
}
