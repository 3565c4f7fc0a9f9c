package dev.spindle.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionSpec;
import dev.spindle.store.redis.RedisStore;
import dev.spindle.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * Session lifetimes on a real redis-server with a 1 s TTL: Redis drops an abandoned session by itself, and
 * neither Redis nor another instance drops one still in use (kept alive, or with a call running).
 */
@Timeout(60)
class RedisSessionLifetimeTest {
    private static final Duration TTL = Duration.ofSeconds(1);
    private RedisServer redis;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        redis.close();
    }

    private ToolRuntime instance() {
        return SessionRaceTest.runtime(b -> b.withStore(new RedisStore(redis.uri())).withSessionTtl(TTL).withSweepInterval(Duration.ofMillis(100)));
    }

    /** The keys Redis still holds (KEYS leaves out those past their expiry, which DBSIZE may count). */
    private Set<String> keysInRedis() {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port)) {
            return jedis.keys("*");
        }
    }

    @Test
    void anAbandonedSessionLeavesRedisWithNoInstanceRunning() throws Exception {
        try (ToolRuntime runtime = instance()) {
            runtime.openSession(new SessionSpec("left", Map.of("a.txt", "a"), null));
            assertThat(runtime.execute(SessionRaceTest.scribble("left", 0)).success()).isTrue();
            runtime.openSession(new SessionSpec("kept-long", Map.of("b.txt", "b"), 3_600L));
        } // the only instance is gone: nobody sweeps
        try (RedisStore store = new RedisStore(redis.uri())) {
            assertThat(store.sessions()).containsExactlyInAnyOrder("left", "kept-long");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (store.sessions().contains("left") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(store.sessions()).containsExactly("kept-long");
            store.deleteSession("kept-long");
            assertThat(store.sessions()).isEmpty();
        }
        assertThat(keysInRedis()).as("nothing is left of the abandoned session; the deleted one keeps its version for its TTL")
                .containsExactly("spindle:{" + HexFormat.of().formatHex("kept-long".getBytes(StandardCharsets.UTF_8)) + "}:v");
    }

    @Test
    void aSessionKeptAliveOutlivesItsTtlInRedisAndGoesOnceLeftAlone() throws Exception {
        try (ToolRuntime runtime = instance(); RedisStore reader = new RedisStore(redis.uri())) {
            runtime.openSession(new SessionSpec("alive", Map.of("a.txt", "a"), null));
            for (int i = 0; i < 15; i++) { // 3 s of keep-alives, as an open MCP session sends
                assertThat(runtime.keepAlive("alive")).isTrue();
                Thread.sleep(200);
            }
            assertThat(reader.sessions()).contains("alive");
            assertThat(runtime.exportFiles("alive")).containsEntry("a.txt", "a");

            long deadline = System.nanoTime() + 10_000_000_000L;
            while (runtime.keepAlive("alive") && System.nanoTime() < deadline) {
                Thread.sleep(1_500); // longer than the TTL: it expires between two
            }
            assertThat(runtime.keepAlive("alive")).isFalse();
            assertThat(reader.sessions()).isEmpty();
        }
    }

    @Test
    void aCallLongerThanTheTtlKeepsItsSessionOnEveryInstance() throws Exception {
        try (ToolRuntime a = instance(); ToolRuntime b = instance()) {
            SessionInfo created = b.openSession(new SessionSpec("long", Map.of("a.txt", "a"), null));
            assertThat(b.execute(SessionRaceTest.scribble("long", 0)).success()).isTrue(); // B uses it, then leaves it to A
            assertThat(a.execute(SessionRaceTest.scribble("long", 700)).success()).as("2.1 s against a 1 s TTL").isTrue();

            assertThat(a.exportFiles("long")).containsOnlyKeys("a.txt", "f0", "f1", "f2");
            assertThat(b.requireSession("long").createdAt()).as("the same session, not a new one").isEqualTo(created.createdAt());
            assertThat(b.trace("long")).hasSize(2);
        }
    }

    @Test
    void aCallLongerThanItsSessionsOwnShortTtlKeepsItInRedisBetweenSweeps() throws Exception {
        // the default TTL of an hour sweeps every minute: Redis must not drop a 1 s session under a 2.1 s call
        try (ToolRuntime a = SessionRaceTest.runtime(b -> b.withStore(new RedisStore(redis.uri())));
                ToolRuntime b = SessionRaceTest.runtime(b2 -> b2.withStore(new RedisStore(redis.uri())))) {
            a.openSession(new SessionSpec("short", Map.of("a.txt", "a"), 1L));
            assertThat(a.execute(SessionRaceTest.scribble("short", 700)).success()).isTrue();
            assertThat(b.exportFiles("short")).containsOnlyKeys("a.txt", "f0", "f1", "f2");
        }
    }
}
