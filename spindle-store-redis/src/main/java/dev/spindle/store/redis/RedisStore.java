package dev.spindle.store.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.OptimisticStore;
import dev.spindle.core.store.PendingChanges;
import dev.spindle.core.store.SessionData;
import dev.spindle.core.store.StoreUnavailable;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;

import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * A store shared by any number of Spindle instances: one Redis hash per session and namespace. Every key
 * of a session carries the session (hex-encoded, so any id is safe) as a hash tag, {@code spindle:{hex}:…},
 * so a session's keys live together and never meet another session's. Beside its hashes a session has an
 * index set of its namespaces and a version counter; {@code spindle:sessions} lists the sessions. Each
 * namespace hash has a companion hash of the sizes of its values, kept in step by every script that writes
 * the namespace, so a quota check or a usage listing reads sizes without transferring the contents.
 *
 * <p>A {@code write} is optimistic: it runs the work against Redis with its own changes buffered, reading
 * the version in the same round trip as its first read, then commits them in one Lua script that applies
 * them only if the version is unchanged (otherwise the work runs again). Deleting and copying a session and
 * appending to a {@link BoundedLog} are one Lua script each, so every update of a session is atomic
 * whichever instance makes it. Round trips are what a call costs (see bench/README.md "Scale-out"):
 * scripts go by digest, and reads a write needs together go in one pipeline.
 *
 * <p>A session given a lifetime with {@link #expireAfter} is a set of Redis keys that expire together, so
 * an abandoned session disappears even when no instance is left to sweep it; the sessions list forgets
 * it the next time it is read.
 */
public final class RedisStore implements KeyValueStore, OptimisticStore {
    private static final int TIMEOUT_MILLIS = 2_000;
    private static final byte[] SESSIONS = b("spindle:sessions");
    private static final byte[] PUT_OP = b("p");
    private static final byte[] DELETE_OP = b("d");

    /**
     * Lua helpers shared by the scripts: a namespace's hash key and the key of its sizes from the session
     * prefix (see {@link Keys}).
     */
    private static final String HEX = """
            local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end
            local function sizes(prefix, ns) return prefix .. 's' .. hex(ns) end
            """;

    /**
     * Lua helper of the scripts that change a session (KEYS: index, version, sessions; ARGV[1]: session):
     * lists the session, or unlists it when it {@code emptied} its last namespace, bumps its version, and
     * gives the keys it wrote the time the index has left to live (see {@link #expireAfter}), so a namespace
     * a session starts using later expires with the rest of it. Each redis.call costs Redis about a
     * microsecond, hence the short cuts: a new version key is the only one of them INCR can make.
     */
    private static final String CHANGED = """
            local function changed(written, emptied)
              if emptied and redis.call('SCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[3], ARGV[1]) else redis.call('SADD', KEYS[3], ARGV[1]) end
              if redis.call('INCR', KEYS[2]) == 1 then written[KEYS[2]] = true end
              if next(written) == nil then return end
              local ttl = redis.call('PTTL', KEYS[1])
              if ttl > 0 then
                for key in pairs(written) do redis.call('PEXPIRE', key, ttl) end
              end
            end
            """;

    /**
     * Lua helper applying a write's changes: ARGV from {@code from} on is (op, ns, hash key, sizes key, field,
     * value)..., op {@code p} (put) or {@code d} (delete), the keys computed by the caller ({@link #addOps}).
     * Notes in {@code written} the hashes it created, which alone need the session's expiry (a hash keeps its
     * own as it changes): a namespace new to the index, or one a delete of this write may have emptied.
     * Answers whether it emptied a namespace.
     */
    private static final String APPLY = """
            local function apply(from, written)
              local emptied = {}
              for i = from, #ARGV, 6 do
                local ns, key, sized, field = ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
                if ARGV[i] == 'p' then
                  redis.call('HSET', key, field, ARGV[i + 5])
                  redis.call('HSET', sized, field, #ARGV[i + 5])
                  if redis.call('SADD', KEYS[1], ns) == 1 or emptied[ns] then written[key], written[sized] = true, true end
                else
                  redis.call('HDEL', key, field)
                  redis.call('HDEL', sized, field)
                  emptied[ns] = key
                end
              end
              local gone = false
              for ns, key in pairs(emptied) do
                if redis.call('EXISTS', key) == 0 then
                  redis.call('SREM', KEYS[1], ns)
                  gone = true
                end
              end
              return gone
            end
            """;

    /**
     * KEYS: index, version, sessions. ARGV: session, expected version ({@value #ANY_VERSION} when the write read
     * nothing), then {@link #APPLY}'s changes.
     */
    private static final Script COMMIT = new Script(CHANGED + APPLY + """
            if ARGV[2] ~= '*' and (redis.call('GET', KEYS[2]) or '') ~= ARGV[2] then return 0 end
            local written = {}
            changed(written, apply(3, written))
            return 1""");
    private static final String ANY_VERSION = "*";

    /**
     * Lua helpers of {@link BoundedLog#append} (KEYS: index, version, sessions, log hash, counters hash, and
     * their sizes hashes; ARGV: session, log namespace, counters namespace, counters field, limit, max bytes,
     * entry, owner field): {@code owner()} reads the owner field and the counters, {@code append} appends the
     * entry given them, noting the keys it wrote in {@code written}, and answers its sequence number.
     */
    private static final String LOG = """
            local function owner() return redis.call('HMGET', KEYS[5], ARGV[8], ARGV[4]) end
            local function append(stored, written)
              local nxt, first, bytes, dropped = 1, 1, 0, 0
              if stored[2] then
                local a, b, c, d = string.match(stored[2], '^(%d+) (%d+) (%d+) (%d+)$')
                nxt, first, bytes, dropped = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
              end
              local limit, max, entry, seq = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7], nxt
              if limit == 0 then
                first, bytes, dropped = seq + 1, 0, dropped + 1
              else
                if first == seq then -- it kept nothing: its hash is new
                  written[KEYS[4]], written[KEYS[6]] = true, true
                  redis.call('SADD', KEYS[1], ARGV[2])
                end
                while first < seq and (seq - first >= limit or bytes + #entry > max) do
                  local oldest = string.format('%019d', first)
                  local size = redis.call('HSTRLEN', KEYS[4], oldest)
                  if size > 0 then
                    bytes = bytes - size
                    redis.call('HDEL', KEYS[4], oldest)
                    redis.call('HDEL', KEYS[6], oldest)
                  end
                  first, dropped = first + 1, dropped + 1
                end
                redis.call('HSET', KEYS[4], string.format('%019d', seq), entry)
                redis.call('HSET', KEYS[6], string.format('%019d', seq), #entry)
                bytes = bytes + #entry
              end
              local counters = string.format('%d %d %d %d', seq + 1, first, bytes, dropped)
              redis.call('HSET', KEYS[5], ARGV[4], counters)
              redis.call('HSET', KEYS[7], ARGV[4], #counters)
              if not stored[2] then redis.call('SADD', KEYS[1], ARGV[3]) end
              return seq
            end
            """;

    /** {@link BoundedLog#append} in one step (KEYS and ARGV as {@link #LOG}): the sequence number, 0 when the owner field is missing. */
    private static final Script APPEND = new Script(CHANGED + LOG + """
            local stored = owner()
            if not stored[1] then return 0 end
            local written = {}
            local seq = append(stored, written)
            changed(written, false)
            return seq""");

    /**
     * A quick call's commit ({@link OptimisticStore#commit}): its changes and its trace entry in one step.
     * KEYS and ARGV as {@link #APPEND}, then ARGV: expected version, {@link #APPLY}'s changes. Answers the
     * entry's sequence number, 0 when the owner field is missing, -1 when the version moved.
     */
    private static final Script COMMIT_APPEND = new Script(CHANGED + APPLY + LOG + """
            local stored = owner()
            if not stored[1] then return 0 end
            if ARGV[9] ~= '*' and (redis.call('GET', KEYS[2]) or '') ~= ARGV[9] then return -1 end
            local written = {}
            local gone = apply(10, written)
            local seq = append(stored, written)
            changed(written, gone)
            return seq""");

    /** KEYS: index, version. ARGV: prefix, milliseconds. Sets the session's keys to expire together. */
    private static final Script EXPIRE = new Script(HEX + """
            for _, ns in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              redis.call('PEXPIRE', ARGV[1] .. hex(ns), ARGV[2])
              redis.call('PEXPIRE', sizes(ARGV[1], ns), ARGV[2])
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            return 1""");

    /** KEYS: sessions. Answers the sessions listed whose index still exists, and unlists those Redis expired. */
    private static final Script LIVE = new Script(HEX + """
            local live = {}
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if redis.call('EXISTS', 'spindle:{' .. hex(id) .. '}') == 1 then table.insert(live, id) else redis.call('SREM', KEYS[1], id) end
            end
            return live""");

    /** KEYS: index, version, sessions. ARGV: session, prefix. Answers (namespace, count)... */
    private static final String DELETE_BODY = """
            local counts = {}
            for _, ns in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local key = ARGV[2] .. hex(ns)
              table.insert(counts, ns)
              table.insert(counts, redis.call('HLEN', key))
              redis.call('DEL', key, sizes(ARGV[2], ns))
            end
            redis.call('DEL', KEYS[1])
            redis.call('SREM', KEYS[3], ARGV[1])
            redis.call('INCR', KEYS[2])
            """;
    private static final Script DELETE = new Script(HEX + DELETE_BODY + "return counts");

    /**
     * KEYS: target index, target version, sessions, source index. ARGV: target, target prefix, source prefix.
     * COPY takes the source's expiry along: the copy's keys are made persistent, its owner sets its own
     * (a snapshot has none, a fork its session's).
     */
    private static final Script COPY = new Script(HEX + DELETE_BODY + """
            for _, ns in ipairs(redis.call('SMEMBERS', KEYS[4])) do
              if redis.call('COPY', ARGV[3] .. hex(ns), ARGV[2] .. hex(ns)) == 1 then
                redis.call('PERSIST', ARGV[2] .. hex(ns))
                redis.call('COPY', sizes(ARGV[3], ns), sizes(ARGV[2], ns))
                redis.call('PERSIST', sizes(ARGV[2], ns))
                redis.call('SADD', KEYS[1], ns)
              end
            end
            if redis.call('SCARD', KEYS[1]) > 0 then redis.call('SADD', KEYS[3], ARGV[1]) end
            return 1""");

    private final JedisPool pool;
    private final EventLoopLinks links;
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
                .ssl(JedisURIHelper.isRedisSSLScheme(parsed)).autoNegotiateProtocol(false) // RESP2: no warning at start
                // no CLIENT SETINFO on connecting: replacing a connection a frozen Redis broke would wait for its answer
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).build();
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(64);
        config.setMaxIdle(64);
        config.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS));
        this.pool = new JedisPool(config, hostAndPort, client);
        this.links = new EventLoopLinks(uri, address, TIMEOUT_MILLIS);
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
        return withRedis(redis -> work.apply(new Reader(redis, Keys.of(session))));
    }

    @Override
    public <T> T write(String session, Function<SessionData, T> work) {
        Keys keys = Keys.of(session);
        return withRedis(redis -> {
            while (true) {
                Buffered data = new Buffered(redis, keys);
                T result = work.apply(data);
                if (data.changes.isEmpty() || data.commit()) {
                    return result;
                }
            }
        });
    }

    @Override
    public long append(String session, BoundedLog log, byte[] entry) {
        Keys keys = Keys.of(session);
        return withRedis(redis -> (Long) APPEND.run(redis, appendKeys(keys, log), appendArgs(session, log, entry)));
    }

    /** The KEYS of {@link #LOG}. */
    private static List<byte[]> appendKeys(Keys keys, BoundedLog log) {
        return List.of(keys.index, keys.version, SESSIONS, keys.namespace(log.namespace()), keys.namespace(log.countersNamespace()),
                keys.sizes(log.namespace()), keys.sizes(log.countersNamespace()));
    }

    /** The ARGV of {@link #LOG}. */
    private static List<byte[]> appendArgs(String session, BoundedLog log, byte[] entry) {
        return List.of(b(session), b(log.namespace()), b(log.countersNamespace()), b(log.countersKey()),
                b(Integer.toString(log.limit())), b(Long.toString(log.maxBytes())), entry, b(log.ownerKey()));
    }

    /** Adds {@code changes} of the session to a script's ARGV in {@link #APPLY}'s form. */
    private static void addOps(List<byte[]> args, Keys keys, PendingChanges changes) {
        changes.byNamespace().forEach((ns, entries) -> {
            byte[] name = b(ns);
            byte[] hash = keys.namespace(ns);
            byte[] sizes = keys.sizes(ns);
            entries.forEach((key, value) -> {
                boolean delete = value == null;
                args.add(delete ? DELETE_OP : PUT_OP);
                args.add(name);
                args.add(hash);
                args.add(sizes);
                args.add(b(key));
                args.add(delete ? new byte[0] : value);
            });
        });
    }

    @Override
    public Map<String, Integer> deleteSession(String session) {
        Keys keys = Keys.of(session);
        return withRedis(redis -> {
            List<?> flat = (List<?>) DELETE.run(redis, List.of(keys.index, keys.version, SESSIONS), List.of(b(session), keys.prefix));
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (int i = 0; i < flat.size(); i += 2) {
                counts.put(new String((byte[]) flat.get(i), UTF_8), ((Long) flat.get(i + 1)).intValue());
            }
            return counts;
        });
    }

    @Override
    public void copySession(String from, String to) {
        Keys source = Keys.of(from);
        Keys target = Keys.of(to);
        withRedis(redis -> COPY.run(redis, List.of(target.index, target.version, SESSIONS, source.index),
                List.of(b(to), target.prefix, source.prefix)));
    }

    /** Sets every key of the session, the version too, to expire {@code idle} from now. */
    @Override
    public void expireAfter(String session, Duration idle) {
        Keys keys = Keys.of(session);
        withRedis(redis -> EXPIRE.run(redis, List.of(keys.index, keys.version), List.of(keys.prefix, b(Long.toString(idle.toMillis())))));
    }

    @Override
    public List<String> sessions() {
        return withRedis(redis -> ((List<?>) LIVE.run(redis, List.of(SESSIONS), List.of())).stream()
                .map(id -> new String((byte[]) id, UTF_8)).toList());
    }

    /** One pipeline of {@code HGETALL}s: one round trip for the lot. */
    @Override
    public Map<String, NavigableMap<String, byte[]>> entries(Collection<String> sessions, String namespace) {
        return withRedis(redis -> {
            Pipeline pipeline = redis.pipelined();
            Map<String, redis.clients.jedis.Response<Map<byte[], byte[]>>> replies = new LinkedHashMap<>();
            sessions.forEach(s -> replies.put(s, pipeline.hgetAll(Keys.of(s).namespace(namespace))));
            pipeline.sync();
            Map<String, NavigableMap<String, byte[]>> entries = new LinkedHashMap<>();
            replies.forEach((s, reply) -> {
                NavigableMap<String, byte[]> session = entries.computeIfAbsent(s, k -> new TreeMap<>());
                reply.get().forEach((k, v) -> session.put(new String(k, UTF_8), v));
            });
            return entries;
        });
    }

    @Override
    public boolean servesHere() {
        return links.servesHere();
    }

    /** One pipeline: the version, then one command per read. */
    @Override
    public CompletionStage<Fetched> fetch(String session, List<Read> reads) {
        Keys keys = Keys.of(session);
        List<Request> batch = new ArrayList<>(reads.size() + 1);
        batch.add(Request.cmd(Command.GET).arg(keys.version));
        for (Read read : reads) {
            batch.add(switch (read) {
                case Read.Value(String ns, String key) -> Request.cmd(Command.HGET).arg(keys.namespace(ns)).arg(b(key));
                case Read.Sizes(String ns) -> Request.cmd(Command.HGETALL).arg(keys.sizes(ns));
                case Read.Entries(String ns) -> Request.cmd(Command.HGETALL).arg(keys.namespace(ns));
                case Read.Namespaces() -> Request.cmd(Command.SMEMBERS).arg(keys.index);
            });
        }
        return links.batch(batch).map(replies -> {
            Map<Read, Object> values = new HashMap<>();
            for (int i = 0; i < reads.size(); i++) {
                Response reply = replies.get(i + 1);
                values.put(reads.get(i), switch (reads.get(i)) {
                    case Read.Value _ -> reply == null ? null : reply.toBytes();
                    case Read.Sizes _ -> hash(reply, size -> Integer.parseInt(size.toString()));
                    case Read.Entries _ -> hash(reply, Response::toBytes);
                    case Read.Namespaces() -> {
                        NavigableSet<String> names = new TreeSet<>();
                        reply.forEach(name -> names.add(name.toString()));
                        yield names;
                    }
                });
            }
            Response version = replies.getFirst();
            return new Fetched(version == null ? "" : version.toString(), values);
        }).recover(links::failure).toCompletionStage();
    }

    /** An {@code HGETALL} reply, RESP2's flat list of field and value. */
    private static <V> NavigableMap<String, V> hash(Response reply, Function<Response, V> read) {
        NavigableMap<String, V> hash = new TreeMap<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            hash.put(reply.get(i).toString(), read.apply(reply.get(i + 1)));
        }
        return hash;
    }

    @Override
    public CompletionStage<Long> commit(String session, String expectedVersion, PendingChanges changes, BoundedLog log, byte[] entry) {
        Keys keys = Keys.of(session);
        List<byte[]> args = new ArrayList<>(appendArgs(session, log, entry));
        args.add(b(expectedVersion == null ? ANY_VERSION : expectedVersion));
        addOps(args, keys, changes);
        return COMMIT_APPEND.send(links, appendKeys(keys, log), args).map(Response::toLong).recover(links::failure).toCompletionStage();
    }

    @Override
    public void close() {
        links.close();
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

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** The Redis keys of one session. */
    private static final class Keys {
        /** The sessions in use lately: a quick call names its session's keys twice, every call names them. */
        private static final Map<String, Keys> RECENT = new ConcurrentHashMap<>();
        private static final int RECENT_MAX = 4_096;

        final String session;
        final byte[] prefix;
        final byte[] index;
        final byte[] version;
        /** By namespace; the sizes' keys under a NUL-prefixed name, which no namespace has. */
        private final Map<String, byte[]> namespaces = new ConcurrentHashMap<>();

        static Keys of(String session) {
            Keys keys = RECENT.get(session);
            if (keys == null) {
                if (RECENT.size() >= RECENT_MAX) {
                    RECENT.clear();
                }
                keys = new Keys(session);
                RECENT.put(session, keys);
            }
            return keys;
        }

        private Keys(String session) {
            this.session = session;
            String tag = "spindle:{" + HexFormat.of().formatHex(b(session)) + "}";
            this.prefix = b(tag + ":");
            this.index = b(tag);
            this.version = b(tag + ":v"); // never a namespace key: those end in hex digits
        }

        /** Shared: never to be changed. */
        byte[] namespace(String ns) {
            return namespaces.computeIfAbsent(ns, n -> key("", n));
        }

        /** The hash of the sizes of the namespace's values: never a namespace key, those start with a hex digit. */
        byte[] sizes(String ns) {
            return namespaces.computeIfAbsent("\u0000" + ns, n -> key("s", ns));
        }

        private byte[] key(String kind, String ns) {
            byte[] hex = b(kind + HexFormat.of().formatHex(b(ns)));
            byte[] key = new byte[prefix.length + hex.length];
            System.arraycopy(prefix, 0, key, 0, prefix.length);
            System.arraycopy(hex, 0, key, prefix.length, hex.length);
            return key;
        }
    }

    /** A Lua script run by its SHA-1 digest, so Redis neither receives nor hashes its text on each call. */
    private static final class Script {
        final byte[] body;
        final byte[] sha;

        Script(String body) {
            this.body = b(body);
            try {
                this.sha = b(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(this.body)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-1", e);
            }
        }

        /** Sends the text only when Redis does not know the script (first use, or after a restart). */
        Object run(Jedis redis, List<byte[]> keys, List<byte[]> args) {
            try {
                return redis.evalsha(sha, keys, args);
            } catch (JedisNoScriptException e) {
                return redis.eval(body, keys, args);
            }
        }

        /** {@link #run} from an event loop, without blocking it. */
        Future<Response> send(EventLoopLinks links, List<byte[]> keys, List<byte[]> args) {
            return links.send(request(Command.EVALSHA, sha, keys, args)).recover(failure -> failure.getMessage() != null
                    && failure.getMessage().startsWith("NOSCRIPT") ? links.send(request(Command.EVAL, body, keys, args)) : Future.failedFuture(failure));
        }

        private static Request request(Command command, byte[] script, List<byte[]> keys, List<byte[]> args) {
            Request request = Request.cmd(command).arg(script).arg(keys.size());
            keys.forEach(request::arg);
            args.forEach(request::arg);
            return request;
        }
    }

    /** Reads straight from Redis, each read one round trip. */
    private static class Reader implements SessionData.ReadOnly {
        final Jedis redis;
        final Keys keys;

        Reader(Jedis redis, Keys keys) {
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
            return query(p -> p.hget(keys.namespace(namespace), b(key)));
        }

        @Override
        public NavigableMap<String, Integer> sizes(String namespace) {
            return sizes(List.of(namespace)).getFirst();
        }

        /** The sizes of several namespaces in one round trip, from their sizes hashes: no value is transferred. */
        @Override
        public List<NavigableMap<String, Integer>> sizes(List<String> namespaces) {
            return hashes(namespaces.stream().map(keys::sizes).toList(), size -> Integer.parseInt(new String(size, UTF_8)));
        }

        @Override
        public NavigableMap<String, byte[]> entries(String namespace) {
            return entries(List.of(namespace)).getFirst();
        }

        /** The entries of several namespaces in one round trip. */
        List<NavigableMap<String, byte[]>> entries(List<String> namespaces) {
            return hashes(namespaces.stream().map(keys::namespace).toList(), value -> value);
        }

        /** Whole hashes in one round trip, each field's value read by {@code read}. */
        private <V> List<NavigableMap<String, V>> hashes(List<byte[]> hashKeys, Function<byte[], V> read) {
            return query(p -> {
                List<redis.clients.jedis.Response<Map<byte[], byte[]>>> replies = hashKeys.stream().map(p::hgetAll).toList();
                return () -> replies.stream().map(reply -> {
                    NavigableMap<String, V> hash = new TreeMap<>();
                    reply.get().forEach((k, v) -> hash.put(new String(k, UTF_8), read.apply(v)));
                    return hash;
                }).toList();
            });
        }

        /** The session's index set: a namespace is in it while its hash holds an entry. */
        @Override
        public NavigableSet<String> namespaces() {
            return query(p -> {
                redis.clients.jedis.Response<Set<byte[]>> reply = p.smembers(keys.index);
                return () -> {
                    TreeSet<String> names = new TreeSet<>();
                    reply.get().forEach(name -> names.add(new String(name, UTF_8)));
                    return names;
                };
            });
        }
    }

    /**
     * Reads Redis through its own pending changes, which {@link #commit} applies in one script. The session's
     * version is read with the first read, in the same round trip, and the commit applies the changes only if
     * it is unchanged then; a write that read nothing depends on nothing and commits unconditionally.
     */
    private static final class Buffered extends Reader {
        final PendingChanges changes = new PendingChanges();
        /** The version the reads saw ({@code ""} when the session has none), null before the first read. */
        private byte[] version;

        Buffered(Jedis redis, Keys keys) {
            super(redis, keys);
        }

        @Override
        <T> T query(Function<Pipeline, Supplier<T>> commands) {
            if (version != null) {
                return super.query(commands);
            }
            return super.query(p -> {
                redis.clients.jedis.Response<byte[]> seen = p.get(keys.version);
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
            List<byte[]> args = new ArrayList<>(List.of(b(keys.session), version == null ? b(ANY_VERSION) : version));
            addOps(args, keys, changes);
            return (Long) COMMIT.run(redis, List.of(keys.index, keys.version, SESSIONS), args) == 1L;
        }
    }
}
