package dev.spindle.store.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.PendingChanges;
import dev.spindle.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * Each Lua script run alone against a real Redis, with the KEYS and ARGV {@link Scripts} builds, and the
 * keys it leaves read back raw: the layout docs/redis.md describes. Session {@code s} is {@code 73} in hex,
 * namespace {@code files} {@code 66696c6573}, {@code session} {@code 73657373696f6e}, {@code trace}
 * {@code 7472616365}.
 */
@Timeout(60)
class ScriptsTest {
    private static final String INDEX = "spindle:{73}";
    private static final String VERSION = "spindle:{73}:v";
    private static final String FILES = "spindle:{73}:66696c6573";
    private static final String FILE_SIZES = "spindle:{73}:s66696c6573";
    private static final String META = "spindle:{73}:73657373696f6e";
    private static final String TRACE = "spindle:{73}:7472616365";
    private static final String TRACE_SIZES = "spindle:{73}:s7472616365";
    private static final BoundedLog LOG = new BoundedLog("trace", "session", "trace", "meta", 2, 1 << 20);

    private static RedisServer server;
    private static Jedis redis;
    private final SessionKeys keys = SessionKeys.of("s");

    @BeforeAll
    static void start() throws Exception {
        server = RedisServer.start();
        redis = new Jedis("127.0.0.1", server.port);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            redis.close();
            server.close();
        }
    }

    @BeforeEach
    void empty() {
        redis.flushAll();
    }

    private static PendingChanges changes(String namespace, String key, String value) {
        PendingChanges changes = new PendingChanges();
        if (value == null) {
            changes.delete(namespace, key);
        } else {
            changes.put(namespace, key, value.getBytes(UTF_8));
        }
        return changes;
    }

    private Object commit(String version, PendingChanges changes) {
        return Scripts.COMMIT.run(redis, Scripts.sessionKeys(keys), Scripts.commitArgs(keys, version == null ? null : version.getBytes(UTF_8), changes));
    }

    private Object append(String entry) {
        return Scripts.APPEND.run(redis, Scripts.appendKeys(keys, LOG), Scripts.appendArgs(keys, LOG, entry.getBytes(UTF_8)));
    }

    private Object commitAppend(String version, PendingChanges changes, String entry) {
        return Scripts.COMMIT_APPEND.run(redis, Scripts.appendKeys(keys, LOG), Scripts.commitAppendArgs(keys, LOG, entry.getBytes(UTF_8), version, changes));
    }

    @Test
    void commitWritesTheHashItsSizesTheIndexAndTheListAndBumpsTheVersionOnlyWhileTheVersionHolds() {
        assertThat(commit(null, changes("files", "a.txt", "alpha"))).isEqualTo(1L);

        assertThat(redis.keys("*")).containsExactlyInAnyOrder("spindle:sessions", INDEX, VERSION, FILES, FILE_SIZES);
        assertThat(redis.smembers("spindle:sessions")).containsExactly("s");
        assertThat(redis.smembers(INDEX)).containsExactly("files");
        assertThat(redis.get(VERSION)).isEqualTo("1");
        assertThat(redis.hgetAll(FILES)).containsExactly(entry("a.txt", "alpha"));
        assertThat(redis.hgetAll(FILE_SIZES)).containsExactly(entry("a.txt", "5"));

        assertThat(commit("0", changes("files", "a.txt", "stale"))).isEqualTo(0L);
        assertThat(redis.hgetAll(FILES)).containsExactly(entry("a.txt", "alpha"));
        assertThat(redis.get(VERSION)).isEqualTo("1");

        assertThat(commit("1", changes("files", "a.txt", null))).isEqualTo(1L);
        assertThat(redis.keys("*")).containsExactly(VERSION); // the emptied namespace left the index, the session the list
        assertThat(redis.get(VERSION)).isEqualTo("2");
    }

    @Test
    void appendNeedsTheOwnerKeepsTheLimitAndWritesTheCounters() {
        assertThat(append("lost")).isEqualTo(0L);
        assertThat(redis.keys("*")).isEmpty();

        commit(null, changes("session", "meta", "{}"));
        assertThat(append("one")).isEqualTo(1L);
        assertThat(append("two")).isEqualTo(2L);
        assertThat(append("three")).isEqualTo(3L);

        assertThat(redis.hgetAll(TRACE)).containsOnly(entry("0000000000000000002", "two"), entry("0000000000000000003", "three"));
        assertThat(redis.hgetAll(TRACE_SIZES)).containsOnly(entry("0000000000000000002", "3"), entry("0000000000000000003", "5"));
        assertThat(redis.hget(META, "trace")).isEqualTo("4 2 8 1"); // next, first kept, bytes kept, dropped
        assertThat(redis.smembers(INDEX)).containsExactlyInAnyOrder("session", "trace");
        assertThat(redis.get(VERSION)).isEqualTo("4");
    }

    @Test
    void commitAppendAppliesTheChangesAndTheEntryTogetherOrNeither() {
        assertThat(commitAppend(null, changes("files", "a.txt", "alpha"), "call")).isEqualTo(0L);
        assertThat(redis.keys("*")).isEmpty();

        commit(null, changes("session", "meta", "{}"));
        assertThat(commitAppend("0", changes("files", "a.txt", "alpha"), "call")).isEqualTo(-1L);
        assertThat(redis.keys("*")).containsExactlyInAnyOrder("spindle:sessions", INDEX, VERSION, META, "spindle:{73}:s73657373696f6e");

        assertThat(commitAppend("1", changes("files", "a.txt", "alpha"), "call")).isEqualTo(1L);
        assertThat(redis.hgetAll(FILES)).containsExactly(entry("a.txt", "alpha"));
        assertThat(redis.hgetAll(TRACE)).containsExactly(entry("0000000000000000001", "call"));
        assertThat(redis.smembers(INDEX)).containsExactlyInAnyOrder("session", "files", "trace");
        assertThat(redis.get(VERSION)).isEqualTo("2");
    }

    @Test
    void expireGivesEveryKeyOfTheSessionTheSameLifetimeAndKeysWrittenLaterTheTimeLeft() {
        commit(null, changes("files", "a.txt", "alpha"));
        Scripts.EXPIRE.run(redis, List.of(keys.index, keys.version), Scripts.expireArgs(keys, Duration.ofSeconds(100)));

        for (String key : List.of(INDEX, VERSION, FILES, FILE_SIZES)) {
            assertThat(redis.pttl(key)).as(key).isBetween(90_000L, 100_000L);
        }
        commit(null, changes("session", "meta", "{}"));
        assertThat(redis.pttl(META)).isBetween(90_000L, 100_000L);
        assertThat(redis.pttl("spindle:sessions")).isEqualTo(-1L); // shared by every session
    }

    @Test
    void liveAnswersTheListedSessionsWhoseIndexIsLeftAndUnlistsTheOthers() {
        commit(null, changes("files", "a.txt", "alpha"));
        redis.sadd("spindle:sessions", "expired");

        List<?> live = (List<?>) Scripts.LIVE.run(redis, List.of(SessionKeys.SESSIONS), List.of());

        assertThat(live).map(id -> new String((byte[]) id, UTF_8)).containsExactly("s");
        assertThat(redis.smembers("spindle:sessions")).containsExactly("s");
    }

    @Test
    void deleteLeavesOnlyTheBumpedVersionAndCountsWhatItDeleted() {
        commit(null, changes("files", "a.txt", "alpha"));
        commit(null, changes("files", "b.txt", "beta"));
        commit(null, changes("session", "meta", "{}"));

        List<?> counts = (List<?>) Scripts.DELETE.run(redis, Scripts.sessionKeys(keys), Scripts.deleteArgs(keys));

        assertThat(counts).hasSize(4);
        Map<String, Long> byNamespace = Map.of(new String((byte[]) counts.get(0), UTF_8), (Long) counts.get(1),
                new String((byte[]) counts.get(2), UTF_8), (Long) counts.get(3));
        assertThat(byNamespace).containsOnly(entry("files", 2L), entry("session", 1L));
        assertThat(redis.keys("*")).containsExactly(VERSION);
        assertThat(redis.get(VERSION)).isEqualTo("4");
    }

    @Test
    void copyReplacesTheTargetWithPersistentCopiesOfTheSourceAndListsIt() {
        commit(null, changes("files", "a.txt", "alpha"));
        Scripts.EXPIRE.run(redis, List.of(keys.index, keys.version), Scripts.expireArgs(keys, Duration.ofSeconds(100)));
        SessionKeys target = SessionKeys.of("t"); // 74 in hex
        Scripts.COMMIT.run(redis, Scripts.sessionKeys(target), Scripts.commitArgs(target, null, changes("old", "x", "gone")));

        Scripts.COPY.run(redis, Scripts.copyKeys(keys, target), Scripts.copyArgs(keys, target));

        assertThat(redis.keys("spindle:{74}*")).containsExactlyInAnyOrder("spindle:{74}", "spindle:{74}:v",
                "spindle:{74}:66696c6573", "spindle:{74}:s66696c6573");
        assertThat(redis.hgetAll("spindle:{74}:66696c6573")).containsExactly(entry("a.txt", "alpha"));
        assertThat(redis.hgetAll("spindle:{74}:s66696c6573")).containsExactly(entry("a.txt", "5"));
        assertThat(redis.smembers("spindle:{74}")).containsExactly("files");
        assertThat(redis.pttl("spindle:{74}:66696c6573")).isEqualTo(-1L);
        assertThat(redis.pttl("spindle:{74}:s66696c6573")).isEqualTo(-1L);
        assertThat(redis.smembers("spindle:sessions")).containsExactlyInAnyOrder("s", "t");
        assertThat(redis.get("spindle:{74}:v")).isEqualTo("2");
    }
}
