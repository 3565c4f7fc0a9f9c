package dev.spindle.store.redis;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.OverlaidData;
import dev.spindle.core.store.SessionData;
import dev.spindle.core.store.StoreUnavailable;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The store's operations for threads that may block: a pool of Jedis connections, each operation one round
 * trip or one script (docs/redis.md). A write runs its work against its own changes over a {@link VersionedReader}
 * until one try commits.
 */
final class BlockingClient implements AutoCloseable {
    private final JedisPool pool;
    private final RedisAddress address;

    BlockingClient(RedisAddress address, int timeoutMillis) {
        this.address = address;
        var client = DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeoutMillis).socketTimeoutMillis(timeoutMillis)
                .user(address.user()).password(address.password()).database(address.db())
                .ssl(address.tls()).autoNegotiateProtocol(false) // RESP2: no warning at start
                // no CLIENT SETINFO on connecting: replacing a connection a frozen Redis broke would wait for its answer
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).build();
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(64);
        config.setMaxIdle(64);
        config.setMaxWait(Duration.ofMillis(timeoutMillis));
        this.pool = new JedisPool(config, address.hostAndPort(), client);
    }

    <T> T read(String session, Function<SessionData, T> work) {
        return withRedis(redis -> work.apply(new SessionReader(redis, SessionKeys.of(session))));
    }

    /** Runs {@code work} again as long as another write moved the session before it could commit. */
    <T> T write(String session, Function<SessionData, T> work) {
        SessionKeys keys = SessionKeys.of(session);
        return withRedis(redis -> {
            while (true) {
                VersionedReader reads = new VersionedReader(redis, keys);
                OverlaidData data = new OverlaidData(reads);
                T result = work.apply(data);
                if (data.changes().isEmpty() || reads.commit(data.changes())) {
                    return result;
                }
            }
        });
    }

    long append(String session, BoundedLog log, byte[] entry) {
        SessionKeys keys = SessionKeys.of(session);
        return withRedis(redis -> (Long) Scripts.APPEND.run(redis, Scripts.appendKeys(keys, log), Scripts.appendArgs(keys, log, entry)));
    }

    Map<String, Integer> deleteSession(String session) {
        SessionKeys keys = SessionKeys.of(session);
        return withRedis(redis -> {
            List<?> flat = (List<?>) Scripts.DELETE.run(redis, Scripts.sessionKeys(keys), Scripts.deleteArgs(keys));
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int i = 0; i < flat.size(); i += 2) {
                counts.put(Utf8.string((byte[]) flat.get(i)), ((Long) flat.get(i + 1)).intValue());
            }
            return counts;
        });
    }

    void copySession(String from, String to) {
        SessionKeys source = SessionKeys.of(from);
        SessionKeys target = SessionKeys.of(to);
        withRedis(redis -> Scripts.COPY.run(redis, Scripts.copyKeys(source, target), Scripts.copyArgs(source, target)));
    }

    void expireAfter(String session, Duration idle) {
        SessionKeys keys = SessionKeys.of(session);
        withRedis(redis -> Scripts.EXPIRE.run(redis, List.of(keys.index, keys.version), Scripts.expireArgs(keys, idle)));
    }

    List<String> sessions() {
        return withRedis(redis -> ((List<?>) Scripts.LIVE.run(redis, List.of(SessionKeys.SESSIONS), List.of())).stream()
                .map(id -> Utf8.string((byte[]) id)).toList());
    }

    /** One pipeline of {@code HGETALL}s: one round trip for the lot. */
    Map<String, NavigableMap<String, byte[]>> entries(Collection<String> sessions, String namespace) {
        return withRedis(redis -> {
            Pipeline pipeline = redis.pipelined();
            Map<String, Response<Map<byte[], byte[]>>> replies = new LinkedHashMap<>();
            sessions.forEach(s -> replies.put(s, pipeline.hgetAll(SessionKeys.of(s).namespace(namespace))));
            pipeline.sync();
            Map<String, NavigableMap<String, byte[]>> entries = new LinkedHashMap<>();
            replies.forEach((s, reply) -> {
                NavigableMap<String, byte[]> session = entries.computeIfAbsent(s, k -> new TreeMap<>());
                reply.get().forEach((k, v) -> session.put(Utf8.string(k), v));
            });
            return entries;
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * Runs {@code work} on a pooled connection; a Redis failure becomes an {@code IOError} naming the server,
     * {@link StoreUnavailable} when it cannot be reached.
     */
    private <T> T withRedis(Function<Jedis, T> work) {
        try (Jedis redis = pool.getResource()) {
            return work.apply(redis);
        } catch (JedisConnectionException e) {
            pool.clear(); // the idle connections died with this one: open fresh ones once Redis is back
            throw new StoreUnavailable("Redis at " + address + " is unreachable: " + e.getMessage());
        } catch (JedisException e) {
            throw new SpindleException(ErrorType.IOError, "Redis at " + address + " failed: " + e.getMessage());
        }
    }
}
