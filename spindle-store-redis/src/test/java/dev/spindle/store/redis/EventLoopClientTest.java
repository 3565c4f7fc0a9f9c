package dev.spindle.store.redis;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.PendingChanges;
import dev.spindle.store.redis.Read.Fetched;
import dev.spindle.testing.RedisServer;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link EventLoopClient} on a real Redis, from a real Vert.x event loop, against what the blocking side reads and writes. */
class EventLoopClientTest {
    private static final BoundedLog LOG = new BoundedLog("trace", "session", "trace", "meta", 100, 1 << 20);
    private RedisServer redis;
    private RedisStore store;
    private EventLoopClient client;
    private Vertx vertx;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        store = new RedisStore(redis.uri());
        client = new EventLoopClient(RedisAddress.parse(redis.uri()), 2_000);
        vertx = Vertx.vertx();
        store.write("s", data -> {
            data.put("session", "meta", "{}".getBytes(UTF_8));
            data.put("files", "a.txt", "alpha".getBytes(UTF_8));
            data.put("files", "b.txt", "be".getBytes(UTF_8));
            return null;
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (redis == null) {
            return; // skipped before anything started: this machine has no redis-server
        }
        client.close();
        store.close();
        vertx.close().await();
        redis.close();
    }

    /** Runs {@code work} on an event loop and waits for what it answers. */
    private <T> T onEventLoop(Supplier<CompletionStage<T>> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> {
            assertThat(client.servesHere()).isTrue();
            work.get().whenComplete((value, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    private Fetched fetch(List<Read> reads) throws Exception {
        return onEventLoop(() -> client.fetch("s", reads));
    }

    private Long commit(String version, PendingChanges changes, String entry) throws Exception {
        return onEventLoop(() -> client.commit("s", version, changes, LOG, entry.getBytes(UTF_8)));
    }

    /** Puts {@code value} in {@code key} of the files, or deletes it when null. */
    private static PendingChanges change(String key, String value) {
        PendingChanges changes = new PendingChanges();
        if (value == null) {
            changes.delete("files", key);
        } else {
            changes.put("files", key, value.getBytes(UTF_8));
        }
        return changes;
    }

    @Test
    void servesOnlyOnAnEventLoop() {
        assertThat(client.servesHere()).isFalse();
    }

    @Test
    void fetchesWhatTheBlockingSideReadsAtOneVersion() throws Exception {
        Fetched fetched = fetch(List.of(new Read.Value("files", "a.txt"), new Read.Value("files", "none"), new Read.Sizes("files"),
                new Read.Entries("files"), new Read.Namespaces()));
        assertThat((byte[]) fetched.values().get(new Read.Value("files", "a.txt"))).asString(UTF_8).isEqualTo("alpha");
        assertThat(fetched.values()).containsEntry(new Read.Value("files", "none"), null);
        assertThat(fetched.values().get(new Read.Sizes("files"))).isEqualTo(store.<NavigableMap<String, Integer>>read("s", data -> data.sizes("files")));
        @SuppressWarnings("unchecked")
        NavigableMap<String, byte[]> entries = (NavigableMap<String, byte[]>) fetched.values().get(new Read.Entries("files"));
        assertThat(entries.keySet()).containsExactly("a.txt", "b.txt");
        assertThat(fetched.values().get(new Read.Namespaces())).isEqualTo(Set.of("files", "session"));
        assertThat(fetched.version()).isNotEmpty().isEqualTo(fetch(List.of()).version());

        store.write("s", data -> {
            data.put("files", "c.txt", new byte[1]);
            return null;
        });
        assertThat(fetch(List.of()).version()).as("any write moves the version").isNotEqualTo(fetched.version());
    }

    @Test
    void commitsChangesAndTheEntryTogetherOnlyAtTheVersionRead() throws Exception {
        String seen = fetch(List.of()).version();
        store.write("s", data -> {
            data.put("files", "a.txt", "changed meanwhile".getBytes(UTF_8));
            return null;
        });
        assertThat((long) commit(seen, change("a.txt", "lost"), "{\"n\":1}")).isEqualTo(EventLoopClient.CONFLICT);
        assertThat(store.<String>read("s", data -> new String(data.get("files", "a.txt"), UTF_8))).isEqualTo("changed meanwhile");
        assertThat(store.<NavigableMap<String, byte[]>>read("s", data -> data.entries("trace"))).as("no entry either").isEmpty();

        String now = fetch(List.of()).version();
        assertThat((long) commit(now, change("a.txt", "kept"), "{\"n\":2}")).isEqualTo(1);
        assertThat((long) commit(now, change("b.txt", null), "{\"n\":3}")).as("the first commit moved it").isEqualTo(EventLoopClient.CONFLICT);
        assertThat((long) commit(null, change("b.txt", null), "{\"n\":3}")).as("any version").isEqualTo(2);
        assertThat(store.<NavigableMap<String, Integer>>read("s", data -> data.sizes("files"))).containsExactly(entry("a.txt", 4));
        assertThat(store.<NavigableMap<String, byte[]>>read("s", data -> data.entries("trace")).values()).extracting(bytes -> new String(bytes, UTF_8))
                .containsExactly("{\"n\":2}", "{\"n\":3}");
        assertThat(store.<BoundedLog.Counters>read("s", data -> LOG.counters(data))).isEqualTo(new BoundedLog.Counters(3, 1, 14, 0));
    }

    @Test
    void changesNothingOnceTheSessionIsGone() throws Exception {
        String seen = fetch(List.of()).version();
        store.deleteSession("s");
        assertThat((long) commit(seen, change("a.txt", "late"), "{}")).isEqualTo(EventLoopClient.OWNER_GONE);
        assertThat((long) commit(null, change("a.txt", "late"), "{}")).isEqualTo(EventLoopClient.OWNER_GONE);
        assertThat(store.sessions()).doesNotContain("s");
        assertThat(store.<Set<String>>read("s", data -> data.namespaces())).isEmpty();
    }
}
