package dev.spindle.store.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.SessionData;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * A store shared by any number of Spindle instances: one Redis hash per session and namespace. Every key
 * of a session carries the session (hex-encoded, so any id is safe) as a hash tag, {@code spindle:{hex}:…},
 * so a session's keys live together and never meet another session's. Beside its hashes a session has an
 * index set of its namespaces and a version counter; {@code spindle:sessions} lists the sessions.
 *
 * <p>A {@code write} is optimistic: it reads the version, runs the work against Redis with its own
 * changes buffered, then commits them in one Lua script that applies them only if the version is unchanged
 * (otherwise the work runs again). Deleting and copying a session are one Lua script each, so every
 * update of a session is atomic whichever instance makes it.
 */
public final class RedisStore implements KeyValueStore {
    private static final int TIMEOUT_MILLIS = 2_000;
    private static final byte[] SESSIONS = b("spindle:sessions");

    /** Lua helper shared by the scripts: a namespace's hash key from the session prefix. */
    private static final String HEX = "local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end\n";

    /** KEYS: index, version, sessions. ARGV: session, prefix, expected version, then (op, ns, field, value)... */
    private static final byte[] COMMIT = b(HEX + """
            if (redis.call('GET', KEYS[2]) or '') ~= ARGV[3] then return 0 end
            local emptied = {}
            for i = 4, #ARGV, 4 do
              local ns, key = ARGV[i + 1], ARGV[2] .. hex(ARGV[i + 1])
              if ARGV[i] == 'p' then
                redis.call('HSET', key, ARGV[i + 2], ARGV[i + 3])
                redis.call('SADD', KEYS[1], ns)
              else
                redis.call('HDEL', key, ARGV[i + 2])
                emptied[ns] = key
              end
            end
            for ns, key in pairs(emptied) do
              if redis.call('EXISTS', key) == 0 then redis.call('SREM', KEYS[1], ns) end
            end
            if redis.call('SCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[3], ARGV[1]) else redis.call('SADD', KEYS[3], ARGV[1]) end
            redis.call('INCR', KEYS[2])
            return 1""");

    /** KEYS: index, version, sessions. ARGV: session, prefix. Answers (namespace, count)... */
    private static final String DELETE_BODY = """
            local counts = {}
            for _, ns in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local key = ARGV[2] .. hex(ns)
              table.insert(counts, ns)
              table.insert(counts, redis.call('HLEN', key))
              redis.call('DEL', key)
            end
            redis.call('DEL', KEYS[1])
            redis.call('SREM', KEYS[3], ARGV[1])
            redis.call('INCR', KEYS[2])
            """;
    private static final byte[] DELETE = b(HEX + DELETE_BODY + "return counts");

    /** KEYS: target index, target version, sessions, source index. ARGV: target, target prefix, source prefix. */
    private static final byte[] COPY = b(HEX + DELETE_BODY + """
            for _, ns in ipairs(redis.call('SMEMBERS', KEYS[4])) do
              if redis.call('COPY', ARGV[3] .. hex(ns), ARGV[2] .. hex(ns)) == 1 then redis.call('SADD', KEYS[1], ns) end
            end
            if redis.call('SCARD', KEYS[1]) > 0 then redis.call('SADD', KEYS[3], ARGV[1]) end
            return 1""");

    private final JedisPool pool;
    private final String address;

    /** True for {@code redis://[user:pass@]host:port[/db]} or {@code rediss://…}. */
    public static boolean isAddress(String uri) {
        try {
            URI parsed = new URI(uri);
            JedisURIHelper.getDBIndex(parsed); // a path that is not a number is refused here
            return JedisURIHelper.isValid(parsed);
        } catch (URISyntaxException | NumberFormatException e) {
            return false;
        }
    }

    /** {@code redis://[user:pass@]host:port[/db]} or {@code rediss://…} for TLS. */
    public RedisStore(String uri) {
        URI parsed = URI.create(uri);
        if (!isAddress(uri)) {
            throw new IllegalArgumentException("'" + uri + "' is not a Redis address: use redis://[user:pass@]host:port[/db] or rediss://");
        }
        HostAndPort hostAndPort = JedisURIHelper.getHostAndPort(parsed);
        int db = JedisURIHelper.getDBIndex(parsed);
        this.address = parsed.getScheme() + "://" + hostAndPort + (db == 0 ? "" : "/" + db);
        var client = DefaultJedisClientConfig.builder().connectionTimeoutMillis(TIMEOUT_MILLIS).socketTimeoutMillis(TIMEOUT_MILLIS)
                .user(JedisURIHelper.getUser(parsed)).password(JedisURIHelper.getPassword(parsed)).database(db)
                .ssl(JedisURIHelper.isRedisSSLScheme(parsed)).autoNegotiateProtocol(false).build(); // RESP2: no warning at start
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(64);
        config.setMaxIdle(64);
        config.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS));
        this.pool = new JedisPool(config, hostAndPort, client);
    }

    @Override
    public String describe() {
        return address;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public <T> T read(String session, Function<SessionData, T> work) {
        return withRedis(redis -> work.apply(new Reader(redis, new Keys(session))));
    }

    @Override
    public <T> T write(String session, Function<SessionData, T> work) {
        Keys keys = new Keys(session);
        return withRedis(redis -> {
            while (true) {
                byte[] version = redis.get(keys.version);
                Buffered data = new Buffered(redis, keys);
                T result = work.apply(data);
                if (data.changes.isEmpty() || data.commit(version == null ? new byte[0] : version)) {
                    return result;
                }
            }
        });
    }

    @Override
    public Map<String, Integer> deleteSession(String session) {
        Keys keys = new Keys(session);
        return withRedis(redis -> {
            List<?> flat = (List<?>) redis.eval(DELETE, List.of(keys.index, keys.version, SESSIONS), List.of(b(session), keys.prefix));
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int i = 0; i < flat.size(); i += 2) {
                counts.put(new String((byte[]) flat.get(i), UTF_8), ((Long) flat.get(i + 1)).intValue());
            }
            return counts;
        });
    }

    @Override
    public void copySession(String from, String to) {
        Keys source = new Keys(from);
        Keys target = new Keys(to);
        withRedis(redis -> redis.eval(COPY, List.of(target.index, target.version, SESSIONS, source.index),
                List.of(b(to), target.prefix, source.prefix)));
    }

    @Override
    public List<String> sessions() {
        return withRedis(redis -> redis.smembers(SESSIONS).stream().map(id -> new String(id, UTF_8)).toList());
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Runs {@code work} on a pooled connection; a Redis failure becomes an {@code IOError} naming the server. */
    private <T> T withRedis(Function<Jedis, T> work) {
        try (Jedis redis = pool.getResource()) {
            return work.apply(redis);
        } catch (JedisConnectionException e) {
            pool.clear(); // the idle connections died with this one: open fresh ones once Redis is back
            throw new SpindleException(ErrorType.IOError, "Redis at " + address + " is unreachable: " + e.getMessage());
        } catch (JedisException e) {
            throw new SpindleException(ErrorType.IOError, "Redis at " + address + " failed: " + e.getMessage());
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** The Redis keys of one session. */
    private static final class Keys {
        final String session;
        final byte[] prefix;
        final byte[] index;
        final byte[] version;

        Keys(String session) {
            this.session = session;
            String tag = "spindle:{" + HexFormat.of().formatHex(b(session)) + "}";
            this.prefix = b(tag + ":");
            this.index = b(tag);
            this.version = b(tag + ":v"); // never a namespace key: those end in hex digits
        }

        byte[] namespace(String ns) {
            byte[] hex = b(HexFormat.of().formatHex(b(ns)));
            byte[] key = new byte[prefix.length + hex.length];
            System.arraycopy(prefix, 0, key, 0, prefix.length);
            System.arraycopy(hex, 0, key, prefix.length, hex.length);
            return key;
        }
    }

    /** Reads straight from Redis. */
    private static class Reader implements SessionData.ReadOnly {
        final Jedis redis;
        final Keys keys;

        Reader(Jedis redis, Keys keys) {
            this.redis = redis;
            this.keys = keys;
        }

        @Override
        public byte[] get(String namespace, String key) {
            return redis.hget(keys.namespace(namespace), b(key));
        }

        @Override
        public NavigableMap<String, Integer> sizes(String namespace) {
            TreeMap<String, Integer> sizes = new TreeMap<>();
            entries(namespace).forEach((k, v) -> sizes.put(k, v.length));
            return sizes;
        }

        @Override
        public NavigableMap<String, byte[]> entries(String namespace) {
            TreeMap<String, byte[]> entries = new TreeMap<>();
            redis.hgetAll(keys.namespace(namespace)).forEach((k, v) -> entries.put(new String(k, UTF_8), v));
            return entries;
        }

        @Override
        public NavigableSet<String> namespaces() {
            TreeSet<String> names = new TreeSet<>();
            redis.smembers(keys.index).forEach(ns -> names.add(new String(ns, UTF_8)));
            return names;
        }
    }

    /** Reads Redis through its own pending changes, which {@link #commit} applies in one script. */
    private static final class Buffered extends Reader {
        /** Marks a pending deletion (compared by identity). */
        private static final byte[] DELETED = new byte[0];
        final Map<String, TreeMap<String, byte[]>> changes = new LinkedHashMap<>();

        Buffered(Jedis redis, Keys keys) {
            super(redis, keys);
        }

        private TreeMap<String, byte[]> pending(String namespace) {
            return changes.computeIfAbsent(namespace, ns -> new TreeMap<>());
        }

        @Override
        public byte[] get(String namespace, String key) {
            byte[] pending = changes.getOrDefault(namespace, new TreeMap<>()).get(key);
            if (pending != null) {
                return pending == DELETED ? null : pending;
            }
            return super.get(namespace, key);
        }

        @Override
        public void put(String namespace, String key, byte[] value) {
            pending(namespace).put(key, value);
        }

        @Override
        public boolean delete(String namespace, String key) {
            boolean present = get(namespace, key) != null;
            pending(namespace).put(key, DELETED);
            return present;
        }

        @Override
        public NavigableMap<String, byte[]> entries(String namespace) {
            NavigableMap<String, byte[]> entries = super.entries(namespace);
            changes.getOrDefault(namespace, new TreeMap<>()).forEach((k, v) -> {
                if (v == DELETED) {
                    entries.remove(k);
                } else {
                    entries.put(k, v);
                }
            });
            return entries;
        }

        @Override
        public NavigableSet<String> namespaces() {
            TreeSet<String> names = new TreeSet<>(super.namespaces());
            changes.keySet().forEach(ns -> {
                if (entries(ns).isEmpty()) {
                    names.remove(ns);
                } else {
                    names.add(ns);
                }
            });
            return names;
        }

        /** Applies the changes if nobody wrote the session since {@code version} was read; false if somebody did. */
        boolean commit(byte[] version) {
            List<byte[]> args = new ArrayList<>(List.of(b(keys.session), keys.prefix, version));
            changes.forEach((ns, entries) -> entries.forEach((key, value) -> {
                args.add(b(value == DELETED ? "d" : "p"));
                args.add(b(ns));
                args.add(b(key));
                args.add(value);
            }));
            return (Long) redis.eval(COMMIT, List.of(keys.index, keys.version, SESSIONS), args) == 1L;
        }
    }
}
