package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.SessionSpec;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.store.redis.RedisStore;
import dev.spindle.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import tools.jackson.databind.JsonNode;

/** Two servers, each with its own runtime, on one real redis-server: any instance serves any session. */
@Timeout(120)
class SharedRedisInstancesTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "mock-data");
    private RedisServer redis;
    private TestServer a;
    private TestServer b;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        a = new TestServer(new RedisStore(redis.uri()), r -> r, c -> c);
        b = new TestServer(new RedisStore(redis.uri()), r -> r, c -> c);
    }

    @AfterEach
    void stop() throws Exception {
        if (redis == null) {
            return; // skipped before anything started: this machine has no redis-server
        }
        a.close();
        b.close();
        redis.close();
    }

    private static String write(String path, String content) {
        return "{\"file_path\":\"" + path + "\",\"content\":\"" + content + "\"}";
    }

    private static String read(String path) {
        return "{\"file_path\":\"" + path + "\"}";
    }

    @Test
    void aFileWrittenThroughAIsReadForkedAndCleanedUpThroughB() {
        assertThat(a.vfs("s1", "write_file", write("notes.txt", "from A")).json().path("success").asBoolean()).isTrue();
        assertThat(b.vfs("s1", "read_file", read("notes.txt")).json().path("result").asString()).isEqualTo("from A");

        assertThat(a.post("/sessions/s1/fork", "{\"session_id\":\"s1-fork\"}").status()).isEqualTo(201);
        assertThat(b.vfs("s1-fork", "read_file", read("notes.txt")).json().path("result").asString()).isEqualTo("from A");
        JsonNode fork = b.get("/sessions/s1-fork").json();
        assertThat(fork.path("forked_from").asString()).isEqualTo("s1");
        assertThat(b.post("/sessions", "{\"session_id\":\"s1-fork\"}").status()).as("the id is taken on A").isEqualTo(409);

        assertThat(b.delete("/sessions/s1").json().path("deleted_files").asInt()).isEqualTo(1);
        JsonNode gone = a.vfs("s1", "read_file", read("notes.txt")).json();
        assertThat(gone.path("success").asBoolean()).isFalse();
        assertThat(gone.path("error_type").asString()).isEqualTo("FileNotFound");
        assertThat(b.vfs("s1-fork", "read_file", read("notes.txt")).json().path("result").asString()).isEqualTo("from A");
    }

    @Test
    void aSessionClosedThroughBIsGoneOnAWhichStartsAFreshOneOnItsNextCall() throws Exception {
        assertThat(a.vfs("s2", "write_file", write("a.txt", "old")).json().path("success").asBoolean()).isTrue();
        String createdBefore = a.get("/sessions/s2").json().path("created_at").asString();
        assertThat(b.delete("/sessions/s2").status()).isEqualTo(200);

        var gone = a.get("/sessions/s2");
        assertThat(gone.status()).as(gone.raw().body()).isEqualTo(404);
        assertThat(gone.json().path("error_type").asString()).isEqualTo("UnknownSession");

        Thread.sleep(5); // a fresh session's creation time differs from the old one's
        JsonNode listed = a.vfs("s2", "list_directory", "{}").json();
        assertThat(listed.path("success").asBoolean()).as(listed.toString()).isTrue();
        JsonNode fresh = a.get("/sessions/s2").json();
        assertThat(fresh.path("files").asInt()).isZero();
        assertThat(fresh.path("calls").asInt()).as("only the call after the close").isEqualTo(1);
        assertThat(fresh.path("created_at").asString()).isNotEqualTo(createdBefore);
        assertThat(b.get("/sessions/s2").json().path("created_at").asString()).isEqualTo(fresh.path("created_at").asString());
    }

    /** A file call skips the check before it (see Workload#SESSION_DATA); the trace's append tells. */
    @Test
    void aFileCallOnAJustAfterBClosedTheSessionIsTheFirstCallOfAFreshOne() throws Exception {
        for (String first : List.of("read_file", "write_file")) {
            String id = "after-" + first;
            assertThat(a.vfs(id, "write_file", write("a.txt", "old")).json().path("success").asBoolean()).isTrue();
            String createdBefore = b.get("/sessions/" + id).json().path("created_at").asString();
            assertThat(b.delete("/sessions/" + id).status()).isEqualTo(200);
            Thread.sleep(5); // a fresh session's creation time differs from the old one's

            JsonNode answer = a.vfs(id, first, first.equals("read_file") ? read("a.txt") : write("b.txt", "new")).json();
            assertThat(answer.path("success").asBoolean()).as(answer.toString()).isEqualTo(first.equals("write_file"));
            for (TestServer via : List.of(a, b)) {
                JsonNode fresh = via.get("/sessions/" + id).json();
                assertThat(fresh.path("created_at").asString()).as(fresh.toString()).isNotEqualTo(createdBefore);
                assertThat(fresh.path("files").asInt()).isEqualTo(first.equals("write_file") ? 1 : 0);
            }
            assertThat(tools(b, id)).as("only the call after the close").containsExactly(first + ":" + (first.equals("read_file") ? "a.txt" : "b.txt"));
            assertThat(a.vfs(id, "read_file", read("a.txt")).json().path("error_type").asString()).isEqualTo("FileNotFound");
        }
    }

    @Test
    void anMcpSessionOnAWhoseToolSessionWasClosedThroughBAnswers404AtOnce() {
        var init = a.send("POST", "/mcp", McpServerTest.INITIALIZE, "content-type", "application/json");
        String mcpSession = init.header("mcp-session-id");
        var listed = a.send("POST", "/mcp", McpServerTest.LIST, "content-type", "application/json", "mcp-session-id", mcpSession);
        assertThat(listed.status()).isEqualTo(200);
        List<String> toolSessions = b.runtime.store().sessions();
        assertThat(toolSessions).as("the MCP session's tool session, in Redis").hasSize(1);

        assertThat(b.delete("/sessions/" + toolSessions.getFirst()).status()).isEqualTo(200);
        var ended = a.send("POST", "/mcp", McpServerTest.LIST, "content-type", "application/json", "mcp-session-id", mcpSession);
        assertThat(ended.status()).as(ended.raw().body()).isEqualTo(404);
        assertThat(ended.json().path("error").path("code").asInt()).isEqualTo(-32001);
        assertThat(a.runtime.hasSession(toolSessions.getFirst())).isFalse();
        assertThat(b.runtime.store().sessions()).as("nothing came back to life").isEmpty();
    }

    private static List<String> tools(TestServer via, String session) {
        JsonNode trace = via.get("/sessions/" + session + "/trace").json();
        List<String> tools = new ArrayList<>();
        long seq = 0;
        for (JsonNode call : trace.path("calls")) {
            assertThat(call.path("seq").asLong()).as("in call order").isGreaterThan(seq);
            seq = call.path("seq").asLong();
            tools.add(call.path("tool").asString() + ":" + call.path("args").path("file_path").asString());
        }
        return tools;
    }

    @Test
    void theTraceOnEitherInstanceListsTheCallsServedByBothInOrderAndAForkStartsWithNone() {
        a.vfs("t", "write_file", write("1.txt", "one"));
        b.vfs("t", "read_file", read("1.txt"));
        a.vfs("t", "read_file", read("2.txt"));
        b.vfs("t", "write_file", write("2.txt", "two"));
        List<String> expected = List.of("write_file:1.txt", "read_file:1.txt", "read_file:2.txt", "write_file:2.txt");
        assertThat(tools(a, "t")).isEqualTo(expected);
        assertThat(tools(b, "t")).isEqualTo(expected);
        assertThat(b.get("/sessions/t").json().path("calls").asInt()).isEqualTo(4);
        assertThat(a.get("/sessions/t/trace").json().path("calls").get(1).path("result").asString()).isEqualTo("one");

        assertThat(a.post("/sessions/t/fork", "{\"session_id\":\"t-fork\"}").status()).isEqualTo(201);
        assertThat(tools(b, "t-fork")).isEmpty();
        assertThat(tools(b, "t")).isEqualTo(expected);
    }

    /**
     * What a call costs in round trips to Redis, which bound an instance's throughput (bench/README.md): a
     * quick call fetches what it reads with the session's version (the file; for a write the quota's
     * listings), then commits its changes and its trace entry in one script, which also checks that the
     * session still exists and, for a write, that nobody wrote it since.
     */
    @Test
    void aReadFileAndAWriteFileAreTwoRoundTripsToRedisEach() {
        String content = "x".repeat(1024);
        assertThat(a.vfs("trips", "write_file", write("data.txt", content)).json().path("success").asBoolean()).isTrue();
        a.vfs("trips", "read_file", read("data.txt")); // Redis has learnt every script by now
        assertThat(roundTripsPerCall(() -> assertThat(a.vfs("trips", "read_file", read("data.txt")).json().path("result").asString()).isEqualTo(content)))
                .isEqualTo(2);
        assertThat(roundTripsPerCall(() -> assertThat(a.vfs("trips", "write_file", write("out.txt", content)).json().path("success").asBoolean()).isTrue()))
                .isEqualTo(2);
        assertThat(tools(b, "trips")).hasSize(2 + 2 * CALLS);
    }

    /** The quota check of a small write reads file sizes, not the session's 4 MB file (issue 10). */
    @Test
    void aSmallWriteBesideALargeFileDoesNotFetchIt() throws Exception {
        String large = "x".repeat(4_000_000);
        assertThat(a.vfs("large", "write_file", write("large.txt", large)).json().path("success").asBoolean()).isTrue();
        a.vfs("large", "write_file", write("warm.txt", "w"));
        long before = redis.statistic("total_net_output_bytes");
        assertThat(a.vfs("large", "write_file", write("small.txt", "s")).json().path("success").asBoolean()).isTrue();
        assertThat(redis.statistic("total_net_output_bytes") - before).as("bytes Redis sent for the small write").isLessThan(64 * 1024);
        assertThat(b.vfs("large", "read_file", read("large.txt")).json().path("result").asString()).hasSize(large.length());
    }

    private static final int CALLS = 20;

    /**
     * The client reads Redis processed during {@value #CALLS} calls, per call: one per round trip, as a
     * pipeline arrives in one. Rounded down, so that another instance's background reads (the mock
     * catalogue's version, say) cannot tip it.
     */
    private long roundTripsPerCall(Runnable call) {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port)) {
            long before = readsProcessed(jedis);
            for (int i = 0; i < CALLS; i++) {
                call.run();
            }
            return (readsProcessed(jedis) - before - 1) / CALLS; // less the INFO asking
        }
    }

    private static long readsProcessed(Jedis jedis) {
        return jedis.info("stats").lines().filter(line -> line.startsWith("total_reads_processed:"))
                .mapToLong(line -> Long.parseLong(line.substring(line.indexOf(':') + 1).strip())).sum();
    }

    @Test
    void theSharedTraceKeepsItsLimitDroppingTheOldestCalls() {
        try (TestServer c = new TestServer(new RedisStore(redis.uri()), r -> r.withTraceLimit(2), o -> o);
                TestServer d = new TestServer(new RedisStore(redis.uri()), r -> r.withTraceLimit(2), o -> o)) {
            for (int i = 1; i <= 5; i++) {
                (i % 2 == 0 ? c : d).vfs("capped", "write_file", write(i + ".txt", "x"));
            }
            assertThat(tools(c, "capped")).containsExactly("write_file:4.txt", "write_file:5.txt");
            assertThat(d.get("/sessions/capped/trace").json().path("dropped").asLong()).isEqualTo(3);
            assertThat(c.get("/sessions/capped").json().path("calls").asInt()).isEqualTo(2);
        }
    }

    @Test
    void aMockSchemaLoadedThroughAIsServedByBWithinASecond() throws Exception {
        String call = "{\"name\":\"get_customer\",\"arguments\":{\"customer_id\":\"cus_x\"}}";
        assertThat(b.post("/mock/execute", call).status()).as("B has no tools yet").isEqualTo(400);
        assertThat(a.post("/mock/load-schema", Files.readString(EXAMPLES.resolve("payments.tools.json"))).status()).isEqualTo(200);
        long loaded = System.nanoTime();
        while (b.post("/mock/execute", call).status() != 200) {
            assertThat((System.nanoTime() - loaded) / 1_000_000).as("B serves the schema within a second").isLessThan(1_000);
            Thread.sleep(20);
        }
        assertThat(b.get("/mock/list-tools").json().path("tools")).hasSize(4);

        assertThat(b.send("DELETE", "/mock/clear", null).status()).isEqualTo(200);
        long cleared = System.nanoTime();
        while (!a.get("/mock/list-tools").json().path("tools").isEmpty()) {
            assertThat((System.nanoTime() - cleared) / 1_000_000).as("A sees B's clear within a second").isLessThan(1_000);
            Thread.sleep(20);
        }
    }

    @Test
    void twoHundredSessionsWrittenConcurrentlyThroughBothKeepEveryFileApart() throws Exception {
        int sessions = 200;
        int files = 3;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                int session = i;
                done.add(pool.submit(() -> {
                    for (int f = 0; f < files; f++) {
                        TestServer via = (session + f) % 2 == 0 ? a : b; // each session written through both
                        JsonNode written = via.vfs("load-" + session, "write_file", write("dir/f" + f + ".txt", "session " + session + " file " + f)).json();
                        assertThat(written.path("success").asBoolean()).as(written.toString()).isTrue();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (int session = 0; session < sessions; session++) {
            TestServer via = session % 2 == 0 ? b : a;
            JsonNode exported = via.get("/sessions/load-" + session + "/files").json();
            assertThat(exported.path("files").propertyNames()).as("session " + session).hasSize(files);
            for (int f = 0; f < files; f++) {
                assertThat(exported.path("files").path("dir/f" + f + ".txt").asString()).isEqualTo("session " + session + " file " + f);
            }
        }
    }

    /**
     * Appends to one file, at once through both instances: each a read-modify-write that commits only if
     * nobody wrote the session since its read, and runs again on fresh content otherwise. None is lost.
     */
    @Test
    void concurrentAppendsToOneFileThroughBothInstancesLoseNoLine() throws Exception {
        assertThat(a.post("/sessions", "{\"session_id\":\"log\",\"files\":{\"log.txt\":\"\"}}").status()).isEqualTo(201);
        assertThat(b.vfs("log", "read_file", read("log.txt")).json().path("success").asBoolean()).isTrue(); // B knows it now
        int writers = 8;
        int lines = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                TestServer via = w % 2 == 0 ? a : b;
                done.add(pool.submit(() -> {
                    for (int line = 0; line < lines; line++) {
                        JsonNode appended = via.vfs("log", "append_file", write("log.txt", "w" + writer + "-" + line + "\\n")).json();
                        assertThat(appended.path("success").asBoolean()).as(appended.toString()).isTrue();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<String> written = List.of(a.vfs("log", "read_file", read("log.txt")).json().path("result").asString().split("\n"));
        assertThat(written).hasSize(writers * lines).doesNotHaveDuplicates();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            assertThat(written.stream().filter(line -> line.startsWith("w" + writer + "-")).toList())
                    .as("writer %d's lines, in its order", w).containsExactlyElementsOf(
                            IntStream.range(0, lines).mapToObj(line -> "w" + writer + "-" + line).toList());
        }
        assertThat(tools(b, "log")).as("every call traced once").hasSize(1 + writers * lines + 1);
        double conflicts = 0;
        for (TestServer via : List.of(a, b)) {
            conflicts += via.get("/metrics").raw().body().lines()
                    .filter(line -> line.startsWith("spindle_store_duration_seconds_count{") && line.contains("operation=\"commit\"")
                            && line.contains("outcome=\"conflict\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        }
        assertThat(conflicts).as("commits that met a write since their reads, and ran again").isPositive();
    }

    /**
     * A Redis that stops answering (busy in a script that never ends) costs a quick call the store's timeout,
     * not a hang: its event loop's connection is closed with the call's commands waiting, the call answers
     * {@code IOError}, and the next call opens a new connection once Redis answers again.
     */
    @Test
    void aQuickCallToARedisThatStopsAnsweringAnswersIoErrorWithinTheTimeout() throws Exception {
        assertThat(a.post("/sessions", "{\"session_id\":\"busy\",\"files\":{\"a.txt\":\"a\"}}").status()).isEqualTo(201);
        assertThat(a.vfs("busy", "read_file", read("a.txt")).json().path("result").asString()).isEqualTo("a");
        Thread script = Thread.ofPlatform().start(() -> {
            try (Jedis jedis = new Jedis("127.0.0.1", redis.port, 0)) {
                jedis.eval("while true do end");
            } catch (RuntimeException killed) {
                // SCRIPT KILL ends it with an error
            }
        });
        try {
            Thread.sleep(200);
            long start = System.nanoTime();
            JsonNode answer = a.vfs("busy", "read_file", read("a.txt")).json();
            assertThat((System.nanoTime() - start) / 1_000_000).as("answers after the 2 s timeout, not later").isBetween(1_500L, 4_500L);
            assertThat(answer.path("error_type").asString()).as(answer.toString()).isEqualTo("IOError");
            assertThat(answer.path("result").asString()).startsWith("Redis at redis://127.0.0.1:" + redis.port + " is unreachable");
        } finally {
            try (Jedis jedis = new Jedis("127.0.0.1", redis.port, 10_000)) {
                jedis.scriptKill(); // heard once the script ran past Redis's 5 s limit for scripts
            }
            script.join();
        }
        assertThat(a.vfs("busy", "read_file", read("a.txt")).json().path("result").asString()).isEqualTo("a");
    }

    @Test
    void aLostRedisAnswersIoErrorNamingItAndBothInstancesRecoverWhenItIsBack() throws Exception {
        assertThat(a.vfs("s", "write_file", write("a.txt", "before")).json().path("success").asBoolean()).isTrue();
        redis.stop();

        long start = System.nanoTime();
        var failed = a.vfs("s", "write_file", write("a.txt", "while down"));
        assertThat((System.nanoTime() - start) / 1_000_000).as("answers instead of hanging").isLessThan(10_000);
        assertThat(failed.json().path("error_type").asString()).isEqualTo("IOError");
        assertThat(failed.json().path("result").asString()).as(failed.raw().body()).startsWith("Redis at redis://127.0.0.1:" + redis.port);
        var export = b.get("/sessions/s/files");
        assertThat(export.status()).as("nothing for the client to fix: try again").isEqualTo(503);
        assertThat(export.header("retry-after")).isEqualTo("1");
        assertThat(export.json().path("error_type").asString()).as(export.raw().body()).isEqualTo("IOError");
        assertThat(export.json().path("error").asString()).startsWith("Redis at redis://127.0.0.1:" + redis.port);
        for (var answer : List.of(failed, export)) {
            assertThat(answer.raw().body()).doesNotContain("\\tat ", "Exception", "redis.clients");
        }

        var created = a.post("/sessions", "{\"session_id\":\"while-down\"}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(503);
        assertThat(created.json().path("error").asString()).startsWith("Redis at redis://127.0.0.1:" + redis.port + " is unreachable");

        redis.restart(); // empty: the test server keeps nothing on disk
        assertThat(a.vfs("s", "write_file", write("a.txt", "after")).json().path("success").asBoolean()).isTrue();
        assertThat(b.vfs("s", "read_file", read("a.txt")).json().path("result").asString()).isEqualTo("after");
        assertThat(b.get("/sessions/s/files").status()).isEqualTo(200);
        assertThat(a.post("/sessions", "{\"session_id\":\"while-down\"}").status()).as("recovered without a restart").isEqualTo(201);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("sessions").forEach(s -> ids.add(s.path("session_id").asString()));
        return ids;
    }

    /** {@code GET /sessions} with {@code query} answers the same page through either instance; answers it. */
    private JsonNode listed(String query) {
        TestServer.Response viaA = a.get("/sessions" + query);
        TestServer.Response viaB = b.get("/sessions" + query);
        assertThat(viaA.status()).as(viaA.raw().body()).isEqualTo(200);
        assertThat(viaB.json()).as(query).isEqualTo(viaA.json());
        return viaA.json();
    }

    private void create(TestServer via, String id, String body) throws InterruptedException {
        assertThat(via.post("/sessions", "{\"session_id\":\"" + id + "\"" + body + "}").status()).isEqualTo(201);
        Thread.sleep(5); // creation times, the last use of a session never used since, differ
    }

    @Test
    void bothInstancesListEverySessionInTheSameOrderWithoutAdoptingThem() throws Exception {
        create(a, "run-a1", ",\"files\":{\"x.txt\":\"hello\",\"y/z.txt\":\"12\"},\"seed\":7,\"ttl_seconds\":10");
        create(b, "run-b1", "");
        create(a, "other-a", "");
        create(b, "run-b2", "");
        assertThat(a.vfs("run-a1", "read_file", "{\"file_path\":\"x.txt\"}").status()).isEqualTo(200);

        JsonNode all = listed("");
        assertThat(ids(all)).as("a use within the share interval is not shared yet").containsExactly("run-b2", "other-a", "run-b1", "run-a1");
        assertThat(all.path("total").asInt()).isEqualTo(4);
        JsonNode runA1 = all.path("sessions").get(3);
        assertThat(runA1.path("files").asInt()).isEqualTo(2);
        assertThat(runA1.path("bytes").asLong()).isEqualTo(7);
        assertThat(runA1.path("calls").asInt()).isEqualTo(1);
        assertThat(runA1.path("seed").asLong()).isEqualTo(7);
        assertThat(Duration.between(Instant.parse(runA1.path("last_used_at").asString()), Instant.parse(runA1.path("expires_at").asString()))).hasSeconds(10);
        JsonNode runB2 = all.path("sessions").get(0);
        assertThat(runB2.path("created_at").asString()).isEqualTo(b.get("/sessions/run-b2").json().path("created_at").asString());
        assertThat(runB2.path("calls").asInt()).isZero();
        assertThat(a.runtime.sessionCount()).as("listed, not adopted").isEqualTo(2);

        // run-a1 shares a use once a tenth of its TTL has passed: then it comes first through either instance
        Thread.sleep(1_100);
        assertThat(a.vfs("run-a1", "list_directory", "{}").status()).isEqualTo(200);
        JsonNode used = listed("");
        assertThat(ids(used)).containsExactly("run-a1", "run-b2", "other-a", "run-b1");
        assertThat(used.path("sessions").get(0).path("calls").asInt()).isEqualTo(2);
    }

    @Test
    void filtersAndPagesTheSameThroughEitherInstance() throws Exception {
        for (int i = 0; i < 6; i++) {
            create(i % 2 == 0 ? a : b, "job-" + i, "");
        }
        create(b, "other", "");

        JsonNode byId = listed("?prefix=job-&sort=id&limit=4");
        assertThat(ids(byId)).containsExactly("job-0", "job-1", "job-2", "job-3");
        assertThat(byId.path("total").asInt()).isEqualTo(6);
        assertThat(byId.path("next_offset").asInt()).isEqualTo(4);
        JsonNode rest = listed("?prefix=job-&sort=id&offset=4&limit=4");
        assertThat(ids(rest)).containsExactly("job-4", "job-5");
        assertThat(rest.path("next_offset").isNull()).isTrue();

        assertThat(ids(listed("?prefix=job-&limit=2&offset=1"))).containsExactly("job-4", "job-3");
        assertThat(listed("?limit=1").path("total").asInt()).isEqualTo(7);
        assertThat(ids(listed("?prefix=nothing"))).isEmpty();
        assertThat(ids(listed("?offset=100"))).isEmpty();
    }

    @Test
    void pagesThroughTenThousandSessionsMadeThroughBoth() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> made = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                SessionSpec spec = new SessionSpec("s%05d".formatted(i), i % 100 == 0 ? Map.of("f", "abc") : Map.of(), null);
                ToolRuntime via = (i % 2 == 0 ? a : b).runtime;
                made.add(pool.submit(() -> via.openSession(spec)));
            }
            for (Future<?> f : made) {
                f.get();
            }
        }
        JsonNode first = listed("?sort=id&limit=100");
        JsonNode recent = listed("?limit=100");
        assertThat(first.path("total").asInt()).isEqualTo(10_000);
        assertThat(ids(first)).hasSize(100).startsWith("s00000", "s00001").endsWith("s00099");
        assertThat(first.path("sessions").get(0).path("bytes").asLong()).isEqualTo(3);
        assertThat(recent.path("total").asInt()).isEqualTo(10_000);
        assertThat(ids(recent)).hasSize(100).doesNotHaveDuplicates();
        JsonNode last = listed("?sort=id&offset=9990&limit=100");
        assertThat(ids(last)).hasSize(10).startsWith("s09990").endsWith("s09999");
        assertThat(ids(listed("?prefix=s0999&sort=id"))).hasSize(10).first().isEqualTo("s09990");
        assertThat(a.runtime.sessionCount()).as("listed, not adopted").isEqualTo(5_000);
    }

    @Test
    void aForkIsListedAsLastUsedAtItsCreationNotAtItsSourcesLastUse() throws Exception {
        create(a, "source", ",\"ttl_seconds\":10");
        Thread.sleep(1_100); // a tenth of its TTL: the next use is shared, and a fork copies it
        assertThat(a.vfs("source", "list_directory", "{}").status()).isEqualTo(200);
        create(b, "between", "");
        assertThat(b.post("/sessions/source/fork", "{\"session_id\":\"copy\"}").status()).isEqualTo(201);

        JsonNode page = listed("");
        assertThat(ids(page)).containsExactly("copy", "between", "source");
        JsonNode copy = page.path("sessions").get(0);
        assertThat(copy.path("last_used_at").asString()).isEqualTo(copy.path("created_at").asString());
        assertThat(copy.path("forked_from").asString()).isEqualTo("source");
    }

    @Test
    void aSessionClosedOnBLeavesAsListingAtOnce() throws Exception {
        create(a, "kept", "");
        create(a, "closed", "");
        assertThat(ids(a.get("/sessions?sort=id").json())).containsExactly("closed", "kept");

        assertThat(b.delete("/sessions/closed").status()).isEqualTo(200);
        JsonNode afterwards = listed("?sort=id");
        assertThat(ids(afterwards)).containsExactly("kept");
        assertThat(afterwards.path("total").asInt()).isEqualTo(1);
        assertThat(ids(listed(""))).containsExactly("kept");
    }
}
