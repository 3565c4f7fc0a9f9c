package dev.spindle.store.redis;

import java.net.URI;
import java.net.URISyntaxException;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where Redis is: {@code redis://[user:pass@]host:port[/db]}, or {@code rediss://…} for TLS, read by Jedis's
 * own rules so that what is accepted is what Jedis connects to. Its {@link #toString} leaves the password
 * out: it names the server in errors and in {@code describe()}.
 */
final class RedisAddress {
    private final String uri;
    private final URI parsed;
    private final HostAndPort hostAndPort;
    private final int db;

    private RedisAddress(String uri, URI parsed) {
        this.uri = uri;
        this.parsed = parsed;
        this.hostAndPort = JedisURIHelper.getHostAndPort(parsed);
        this.db = JedisURIHelper.getDBIndex(parsed);
    }

    static boolean isValid(String uri) {
        try {
            URI parsed = new URI(uri);
            JedisURIHelper.getDBIndex(parsed); // a path that is not a number is refused here
            return JedisURIHelper.isValid(parsed);
        } catch (URISyntaxException | NumberFormatException e) {
            return false;
        }
    }

    static RedisAddress parse(String uri) {
        if (!isValid(uri)) {
            throw new IllegalArgumentException("'" + uri + "' is not a Redis address: use redis://[user:pass@]host:port[/db] or rediss://");
        }
        return new RedisAddress(uri, URI.create(uri));
    }

    /** The address as given, password included: for clients that connect with it. */
    String uri() {
        return uri;
    }

    HostAndPort hostAndPort() {
        return hostAndPort;
    }

    int db() {
        return db;
    }

    String user() {
        return JedisURIHelper.getUser(parsed);
    }

    String password() {
        return JedisURIHelper.getPassword(parsed);
    }

    boolean tls() {
        return JedisURIHelper.isRedisSSLScheme(parsed);
    }

    @Override
    public String toString() {
        return parsed.getScheme() + "://" + hostAndPort + (db == 0 ? "" : "/" + db);
    }
}
