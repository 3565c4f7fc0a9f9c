package dev.spindle.store.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.KeyValueStoreContract;
import dev.spindle.core.store.Usage;
import dev.spindle.testing.RedisServer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class RedisStoreTest extends KeyValueStoreContract {
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected KeyValueStore newStore() throws Exception {
        RedisStore store = new RedisStore(redis.uri());
        store.sessions().forEach(store::deleteSession); // each test starts from an empty store
        return store;
    }

    /** The session's keys as Redis holds them, looked up directly. */
    private static Set<String> keysOf(String session) {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port)) {
            return jedis.keys("spindle:{" + HexFormat.of().formatHex(session.getBytes(UTF_8)) + "}*");
        }
    }

    private void awaitGone(String session) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!keysOf(session).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void aSessionGivenALifetimeExpiresInRedisWithTheNamespacesItGotLaterAndLeavesTheList() throws Exception {
        put("brief", "files", "a.txt", "a");
        put("kept", "files", "b.txt", "b");
        store.expireAfter("brief", Duration.ofMillis(400));
        put("brief", "trace", "1", "a namespace it starts using after");
        put("brief", "meta", "owner", "o");
        store.append("brief", new BoundedLog("log", "meta", "log", "owner", 10, 1000), b("and a log"));
        delete("brief", "files", "a.txt");
        put("brief", "files", "c.txt", "c");
        assertThat(keysOf("brief")).hasSize(10); // index, version, files, trace, log, meta and the sizes of the last four

        awaitGone("brief");
        assertThat(keysOf("brief")).as("no key of it is left").isEmpty();
        assertThat(store.sessions()).containsExactly("kept");
        assertThat(get("kept", "files", "b.txt")).isEqualTo("b");
        assertThat(get("brief", "trace", "1")).isNull();
    }

    /**
     * A write gives the session's expiry only to the hashes it creates; one that empties a namespace and
     * fills it again (a move of its only file) creates its hash anew, so that hash must get it too.
     */
    @Test
    void aNamespaceEmptiedAndRefilledInOneWriteStillExpiresWithItsSession() throws Exception {
        put("moved", "files", "a.txt", "a");
        store.expireAfter("moved", Duration.ofMillis(600));
        store.write("moved", d -> {
            d.delete("files", "a.txt");
            d.put("files", "b.txt", b("b"));
            return null;
        });
        assertThat(get("moved", "files", "b.txt")).isEqualTo("b");
        awaitGone("moved");
        assertThat(keysOf("moved")).as("no key of it is left").isEmpty();
    }

    /** A write checking the session's quota reads the sizes of its files, never their contents (issue 10). */
    @Test
    void measuringASessionDoesNotTransferItsFiles() throws Exception {
        int big = 4 << 20;
        store.write("seeded", d -> {
            d.put("files", "big.bin", new byte[big]);
            return null;
        });
        long before = redis.statistic("total_net_output_bytes");
        store.write("seeded", d -> {
            assertThat(d.sizes("files")).containsExactly(entry("big.bin", big));
            d.put("files", "small.txt", b("small"));
            return null;
        });
        assertThat(store.usage(List.of("seeded"), "files")).containsExactly(entry("seeded", new Usage(2, big + 5L)));
        assertThat(redis.statistic("total_net_output_bytes") - before).as("bytes Redis sent for a small write and a usage").isLessThan(16 * 1024);
    }

    @Test
    void aLifetimeGivenAgainBeforeItEndsKeepsTheSession() throws Exception {
        put("renewed", "files", "a.txt", "a");
        for (int i = 0; i < 10; i++) {
            store.expireAfter("renewed", Duration.ofMillis(400));
            Thread.sleep(100);
        }
        assertThat(get("renewed", "files", "a.txt")).as("1 s after the first 400 ms lifetime").isEqualTo("a");
        assertThat(store.sessions()).containsExactly("renewed");
        awaitGone("renewed");
        assertThat(store.sessions()).isEmpty();
    }

    @Test
    void aForkDoesNotKeepItsSourcesLifetimeOnceGivenItsOwn() throws Exception {
        put("source", "files", "a.txt", "a");
        store.expireAfter("source", Duration.ofMillis(300));
        store.copySession("source", "fork");
        store.expireAfter("fork", Duration.ofHours(1));
        awaitGone("source");
        assertThat(store.sessions()).containsExactly("fork");
        assertThat(get("fork", "files", "a.txt")).isEqualTo("a");
    }
}
