package dev.spindle.store.redis;

import static dev.spindle.store.redis.Utf8.bytes;

import dev.spindle.core.store.SessionData;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/** Reads one session straight from Redis, each read one round trip. */
class SessionReader implements SessionData.ReadOnly {
    final Jedis redis;
    final SessionKeys keys;

    SessionReader(Jedis redis, SessionKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** Sends the commands {@code commands} queues in one round trip; answers what it makes of their replies. */
    <T> T query(Function<Pipeline, Supplier<T>> commands) {
        Pipeline pipeline = redis.pipelined();
        Supplier<T> reply = commands.apply(pipeline);
        pipeline.sync();
        return reply.get();
    }

    @Override
    public byte[] get(String namespace, String key) {
        return query(p -> p.hget(keys.namespace(namespace), bytes(key)));
    }

    @Override
    public NavigableMap<String, Integer> sizes(String namespace) {
        return sizes(List.of(namespace)).getFirst();
    }

    /** The sizes of several namespaces in one round trip, from their sizes hashes: no value is transferred. */
    @Override
    public List<NavigableMap<String, Integer>> sizes(List<String> namespaces) {
        return hashes(namespaces.stream().map(keys::sizes).toList(), size -> Integer.parseInt(Utf8.string(size)));
    }

    @Override
    public NavigableMap<String, byte[]> entries(String namespace) {
        return hashes(List.of(keys.namespace(namespace)), value -> value).getFirst();
    }

    /** Whole hashes in one round trip, each field's value read by {@code read}. */
    private <V> List<NavigableMap<String, V>> hashes(List<byte[]> hashKeys, Function<byte[], V> read) {
        return query(p -> {
            List<Response<Map<byte[], byte[]>>> replies = hashKeys.stream().map(p::hgetAll).toList();
            return () -> replies.stream().map(reply -> {
                NavigableMap<String, V> hash = new TreeMap<>();
                reply.get().forEach((k, v) -> hash.put(Utf8.string(k), read.apply(v)));
                return hash;
            }).toList();
        });
    }

    /** The session's index set: a namespace is in it while its hash holds an entry. */
    @Override
    public NavigableSet<String> namespaces() {
        return query(p -> {
            Response<Set<byte[]>> reply = p.smembers(keys.index);
            return () -> {
                TreeSet<String> names = new TreeSet<>();
                reply.get().forEach(name -> names.add(Utf8.string(name)));
                return names;
            };
        });
    }
}
