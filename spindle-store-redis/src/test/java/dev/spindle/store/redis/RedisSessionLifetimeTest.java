package dev.spindle.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Session lifetimes on a real redis-server with a 1 s TTL: Redis drops an abandoned session by itself, and
 * neither Redis nor another instance drops one still in use (kept alive, or with a call running); and a
 * session closed through one instance ends on the others too.
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
        if (redis == null) {
            return; // skipped before anything started: this machine has no redis-server
        }
        redis.close();
    }

    private ToolRuntime instance() {
        return runtime(b -> b.withStore(new RedisStore(redis.uri())).withSessionTtl(TTL).withSweepInterval(Duration.ofMillis(100)));
    }

    /** A component whose one tool writes three files with a pause before each, as a slow tool's several store writes would. */
    static final class Pen implements Component {
        @Override
        public String name() {
            return "pen";
        }

        @Override
        public String description() {
            return "writes files slowly";
        }

        @Override
        public List<Tool> tools() {
            return List.of(new Tool() {
                @Override
                public ToolDefinition definition() {
                    return new ToolDefinition("scribble", "Write files slowly", Schema.object().optional("pause_ms", Json.object().put("type", "integer")).build(), null);
                }

                @Override
                public JsonNode call(ToolContext context, ObjectNode args) {
                    for (int i = 0; i < 3; i++) {
                        pause(args.path("pause_ms").asInt(0));
                        context.files().write(context.files().file("f" + i), "v".getBytes(StandardCharsets.UTF_8));
                    }
                    return StringNode.valueOf("done");
                }
            });
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.SESSION_FILES);
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ToolRuntime runtime(UnaryOperator<ToolRuntime.Builder> options) {
        return options.apply(ToolRuntime.builder().withComponent(new Pen())).build();
    }

    private static ToolCall scribble(String session, int pauseMillis) {
        return new ToolCall(session, "pen", "scribble", Json.object().put("pause_ms", pauseMillis));
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
            assertThat(runtime.execute(scribble("left", 0)).success()).isTrue();
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
            assertThat(b.execute(scribble("long", 0)).success()).isTrue(); // B uses it, then leaves it to A
            assertThat(a.execute(scribble("long", 700)).success()).as("2.1 s against a 1 s TTL").isTrue();

            assertThat(a.exportFiles("long")).containsOnlyKeys("a.txt", "f0", "f1", "f2");
            assertThat(b.requireSession("long").createdAt()).as("the same session, not a new one").isEqualTo(created.createdAt());
            assertThat(b.trace("long")).hasSize(2);
        }
    }

    @Test
    void aCallLongerThanItsSessionsOwnShortTtlKeepsItInRedisBetweenSweeps() throws Exception {
        // the default TTL of an hour sweeps every minute: Redis must not drop a 1 s session under a 2.1 s call
        try (ToolRuntime a = runtime(b -> b.withStore(new RedisStore(redis.uri())));
                ToolRuntime b = runtime(b2 -> b2.withStore(new RedisStore(redis.uri())))) {
            a.openSession(new SessionSpec("short", Map.of("a.txt", "a"), 1L));
            assertThat(a.execute(scribble("short", 700)).success()).isTrue();
            assertThat(b.exportFiles("short")).containsOnlyKeys("a.txt", "f0", "f1", "f2");
        }
    }

    /** Counts its calls per session in memory and forgets a session when told it closed. */
    static final class Counter implements Component {
        final Map<String, Integer> counts = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "counter";
        }

        @Override
        public String description() {
            return "counts calls per session in memory";
        }

        @Override
        public List<Tool> tools() {
            return List.of(new Tool() {
                @Override
                public ToolDefinition definition() {
                    return new ToolDefinition("count", "Counts this session's calls", Schema.object().build(), null);
                }

                @Override
                public JsonNode call(ToolContext context, ObjectNode arguments) {
                    return IntNode.valueOf(counts.merge(context.sessionId(), 1, Integer::sum));
                }
            });
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public void sessionClosed(String sessionId) {
            counts.remove(sessionId);
        }
    }

    private ToolRuntime instance(Counter counter) { // no TTL of a second here
        return ToolRuntime.builder().withStore(new RedisStore(redis.uri())).withComponent(counter).build();
    }

    private static int count(ToolRuntime via) {
        return via.execute(new ToolCall("s", "counter", "count", Json.object())).value().asInt();
    }

    /**
     * A component that keeps session state in memory still hears of a close through another instance before
     * its next call runs there, so the call starts afresh (only calls of components that keep nothing outside
     * the store leave that check to the trace's append).
     */
    @Test
    void aComponentKeepingSessionStateStartsAfreshOnAAfterBClosedTheSession() {
        Counter onA = new Counter();
        try (ToolRuntime a = instance(onA); ToolRuntime b = instance(new Counter())) {
            assertThat(count(a)).isEqualTo(1);
            assertThat(count(a)).isEqualTo(2);
            assertThat(b.closeSession("s")).isZero();

            assertThat(count(a)).as("A forgot the session before the call").isEqualTo(1);
            assertThat(a.traceSnapshot("s").calls()).hasSize(1);
            assertThat(b.traceSnapshot("s").calls()).as("the fresh session, seen through B").hasSize(1);
        }
    }
}
