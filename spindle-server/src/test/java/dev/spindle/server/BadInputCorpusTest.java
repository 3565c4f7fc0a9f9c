package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.store.redis.RedisStore;
import dev.spindle.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Thousands of bad requests against a real server on each store (memory, SQLite, a real Redis): none may answer 5xx, every error is
 * JSON with an {@code error_type} (the exceptions are listed in {@link BadInputCorpus.Case#documented}),
 * and afterwards the server is healthy, serves a normal call, and holds no more heap than it did.
 */
@Timeout(240)
class BadInputCorpusTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite", "redis"})
    void badRequestsAre4xxJsonAndLeaveTheServerWell(String store) throws Exception {
        try (RedisServer redis = store.equals("redis") ? RedisServer.start() : null;
             TestServer s = redis != null ? new TestServer(new RedisStore(redis.uri()), b -> b, c -> c) : TestServer.start(store, dir)) {
            assertThat(s.post("/mock/load-schema", Files.readString(MockRoutesTest.EXAMPLES.resolve("payments.tools.json"))).status()).isEqualTo(200);
            assertThat(s.vfs("base", "write_file", "{\"file_path\":\"a.txt\",\"content\":\"hello\"}").json().path("success").asBoolean()).isTrue();
            List<BadInputCorpus.Case> corpus = BadInputCorpus.generate(s.runtime.components());
            assertThat(corpus).hasSizeGreaterThanOrEqualTo(3000);
            send(s, corpus.subList(0, 200)); // warm-up, so that the heap baseline includes what the first calls load
            long heapBefore = usedHeapAfterGc();

            Queue<String> failures = send(s, corpus);

            assertThat(failures).as("%d of %d requests answered wrongly", failures.size(), corpus.size()).isEmpty();
            assertThat(s.get("/health").status()).isEqualTo(200);
            assertThat(s.vfs("after", "write_file", "{\"file_path\":\"b.txt\",\"content\":\"still fine\"}").json().path("success").asBoolean()).isTrue();
            assertThat(s.vfs("after", "read_file", "{\"file_path\":\"b.txt\"}").json().path("result").asString()).contains("still fine");
            assertThat(usedHeapAfterGc()).isLessThan(heapBefore + (64L << 20));
        }
    }

    /** Sends every case on its own connection from a few threads; answers the description of each wrong answer. */
    private static Queue<String> send(TestServer s, List<BadInputCorpus.Case> corpus) throws InterruptedException {
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (BadInputCorpus.Case c : corpus) {
            clients.execute(() -> {
                try {
                    String wrong = judge(c, s.raw(c.request()));
                    if (wrong != null) {
                        failures.add(c.name() + ": " + wrong);
                    }
                } catch (RuntimeException e) {
                    failures.add(c.name() + ": " + e);
                }
            });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(200, TimeUnit.SECONDS)).isTrue();
        return failures;
    }

    /** Null when the answer is right; otherwise what is wrong with it. */
    private static String judge(BadInputCorpus.Case c, TestServer.RawResponse response) {
        if (c.documented()) {
            boolean ours = response.status() == 500 || response.status() > 501; // 501: Vert.x, for an unknown HTTP version
            return ours ? response.status() + " " + abbreviate(response.body()) : null;
        }
        if (response.status() == 0) {
            return "connection closed without an answer";
        }
        String summary = response.status() + " " + abbreviate(response.body());
        if (response.status() >= 500) {
            return summary;
        }
        if (response.status() == 204) {
            return null;
        }
        JsonNode json;
        try {
            json = Json.parse(response.body());
        } catch (RuntimeException e) {
            return "not JSON: " + summary;
        }
        boolean error = response.status() >= 400;
        boolean typed = json.path("error_type").isString() || json.path("jsonrpc").isString();
        return error && !typed ? "no error_type: " + summary : null;
    }

    private static String abbreviate(String body) {
        return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
