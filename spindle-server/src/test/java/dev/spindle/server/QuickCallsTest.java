package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.files.Quotas;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.store.redis.RedisStore;
import dev.spindle.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * File calls on Redis run as quick calls (fetched values, one commit, re-run on a miss: see QuickCall) on the
 * server's event loop. They must answer exactly what the same calls answer on the memory store, failures,
 * refusals and the trace included: the same script of calls runs through both and every answer is compared.
 */
@Timeout(60)
class QuickCallsTest {
    private static final Quotas SMALL = new Quotas(64, 8, 200);
    private RedisServer redis;
    private TestServer onMemory;
    private TestServer onRedis;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        onMemory = new TestServer(new MemoryStore(), r -> r.withQuotas(SMALL), c -> c);
        onRedis = new TestServer(new RedisStore(redis.uri()), r -> r.withQuotas(SMALL), c -> c);
    }

    @AfterEach
    void stop() throws Exception {
        if (redis == null) {
            return; // skipped before anything started: this machine has no redis-server
        }
        onMemory.close();
        onRedis.close();
        redis.close();
    }

    /** (tool, arguments): every file tool that runs quickly, each way it can fail. */
    private static final List<String[]> SCRIPT = List.of(
            call("write_file", "{\"file_path\":\"a.txt\",\"content\":\"alpha\\nbeta\\n\"}"),
            call("read_file", "{\"file_path\":\"a.txt\"}"),
            call("read_file", "{\"file_path\":\"missing.txt\"}"),
            call("append_file", "{\"file_path\":\"a.txt\",\"content\":\"gamma\\n\"}"),
            call("edit_file", "{\"file_path\":\"a.txt\",\"old_string\":\"beta\",\"new_string\":\"BETA\"}"),
            call("edit_file", "{\"file_path\":\"a.txt\",\"old_string\":\"absent\",\"new_string\":\"x\"}"),
            call("make_directory", "{\"directory\":\"dir/sub\"}"),
            call("make_directory", "{\"directory\":\"a.txt\"}"),
            call("write_file", "{\"file_path\":\"dir/sub/b.txt\",\"content\":\"b\"}"),
            call("write_file", "{\"file_path\":\"dir/ünï 文件.txt\",\"content\":\"ü 文\"}"),
            call("list_directory", "{\"directory\":\"dir\"}"),
            call("write_file", "{\"file_path\":\"a.txt/child.txt\",\"content\":\"x\"}"),
            call("list_files", "{}"),
            call("list_directory", "{\"directory\":\"dir\"}"),
            call("file_info", "{\"file_path\":\"dir\"}"),
            call("file_info", "{\"file_path\":\"a.txt\"}"),
            call("copy_file", "{\"source\":\"a.txt\",\"destination\":\"dir/c.txt\"}"),
            call("move_file", "{\"source\":\"dir/sub\",\"destination\":\"moved\"}"),
            call("read_file", "{\"file_path\":\"moved/b.txt\"}"),
            call("delete_file", "{\"file_path\":\"dir/c.txt\"}"),
            call("delete_file", "{\"file_path\":\"dir/c.txt\"}"),
            call("write_file", "{\"file_path\":\"big.txt\",\"content\":\"" + "x".repeat(65) + "\"}"),
            call("write_file", "{\"file_path\":\"../escape.txt\",\"content\":\"x\"}"),
            call("read_file", "{}"),
            call("append_file", "{\"file_path\":\"a.txt\",\"content\":\"" + "y".repeat(60) + "\"}"),
            call("write_file", "{\"file_path\":\"f1.txt\",\"content\":\"" + "z".repeat(60) + "\"}"),
            call("write_file", "{\"file_path\":\"f2.txt\",\"content\":\"" + "z".repeat(60) + "\"}"),
            call("write_file", "{\"file_path\":\"f3.txt\",\"content\":\"" + "z".repeat(60) + "\"}"),
            call("write_file", "{\"file_path\":\"f4.txt\",\"content\":\"1\"}"),
            call("write_file", "{\"file_path\":\"f5.txt\",\"content\":\"2\"}"),
            call("write_file", "{\"file_path\":\"f6.txt\",\"content\":\"3\"}"),
            call("no_such_tool", "{}"),
            call("list_files", "{}"));

    private static String[] call(String tool, String args) {
        return new String[] {tool, args};
    }

    @Test
    void everyFileToolAnswersOnRedisExactlyWhatItAnswersOnTheMemoryStore() {
        for (TestServer server : List.of(onMemory, onRedis)) {
            assertThat(server.post("/sessions", "{\"session_id\":\"same\"}").status()).isEqualTo(201);
        }
        List<String> failures = new ArrayList<>();
        for (String[] call : SCRIPT) {
            TestServer.Response expected = onMemory.vfs("same", call[0], call[1]);
            TestServer.Response actual = onRedis.vfs("same", call[0], call[1]);
            assertThat(actual.status()).as(call[0] + " " + call[1]).isEqualTo(expected.status());
            assertThat(actual.json()).as(call[0] + " " + call[1]).isEqualTo(expected.json());
            if (!expected.json().path("success").asBoolean()) {
                failures.add(expected.json().path("error_type").asString());
            }
        }
        assertThat(failures).as("the script reaches every kind of refusal").contains("FileNotFound", "InvalidArguments", "NotADirectory",
                "AlreadyExists", "QuotaExceeded", "UnknownTool").hasSizeGreaterThanOrEqualTo(10);
        assertThat(onRedis.get("/sessions/same/files").json()).isEqualTo(onMemory.get("/sessions/same/files").json());
        assertThat(calls(onRedis)).isEqualTo(calls(onMemory)).hasSize(SCRIPT.size());
    }

    /**
     * A call that reads a namespace's values holding more than a MiB (a directory of large files to copy) goes
     * the blocking way, on a worker, rather than read them on the event loop; it answers the same.
     */
    @Test
    void aCopyOfLargeFilesReadsThemOffTheEventLoopAndAnswersTheSame() {
        String large = "x".repeat(600_000);
        String seed = "{\"session_id\":\"big\",\"files\":{\"big/1.txt\":\"" + large + "\",\"big/2.txt\":\"" + large + "\"}}";
        String copy = "{\"source\":\"big\",\"destination\":\"copy\"}";
        try (TestServer memory = new TestServer(new MemoryStore(), r -> r, c -> c);
                TestServer shared = new TestServer(new RedisStore(redis.uri()), r -> r, c -> c)) {
            for (TestServer server : List.of(memory, shared)) {
                assertThat(server.post("/sessions", seed).status()).isEqualTo(201);
            }
            double quickCommits = storeOperations(shared, "commit");
            double blockingWrites = storeOperations(shared, "write");
            TestServer.Response expected = memory.vfs("big", "copy_file", copy);
            assertThat(expected.json().path("success").asBoolean()).as(expected.json().toString()).isTrue();
            assertThat(shared.vfs("big", "copy_file", copy).json()).isEqualTo(expected.json());
            assertThat(storeOperations(shared, "commit")).as("no quick commit").isEqualTo(quickCommits);
            assertThat(storeOperations(shared, "write")).as("a blocking write").isGreaterThan(blockingWrites);
            assertThat(shared.get("/sessions/big/files").json()).isEqualTo(memory.get("/sessions/big/files").json());
        }
    }

    /** How many {@code operation}s the server's store completed ok, from its metrics. */
    private static double storeOperations(TestServer server, String operation) {
        return server.get("/metrics").raw().body().lines()
                .filter(line -> line.startsWith("spindle_store_duration_seconds_count{") && line.contains("operation=\"" + operation + "\"")
                        && line.contains("outcome=\"ok\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** The trace without what differs between two runs: times and durations. */
    private static List<JsonNode> calls(TestServer server) {
        List<JsonNode> calls = new ArrayList<>();
        server.get("/sessions/same/trace").json().path("calls").forEach(call -> {
            ObjectNode kept = (ObjectNode) call.deepCopy();
            kept.remove(List.of("at", "duration_us"));
            calls.add(kept);
        });
        return calls;
    }
}
