package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.store.redis.RedisStore;
import dev.spindle.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Snapshots over HTTP: take, download, upload, restore, delete; on every store. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "sqlite", "redis"})
@Timeout(120)
class SnapshotApiTest {
    static final String COUNTER = "{\"tools\": [{\"name\": \"count\", \"handler\": \"state.n = (state.n || 0) + 1; return {n: state.n, at: Date.now()};\"}]}";

    @Parameter
    String store;

    @TempDir
    Path dir;

    RedisServer redis;
    KeyValueStore kv;
    TestServer s;

    @BeforeEach
    void start() throws Exception {
        if (store.equals("redis")) {
            redis = RedisServer.start();
        }
        kv = reopened();
        s = new TestServer(kv, b -> b, c -> c);
        assertThat(s.post("/mock/load-schema", COUNTER).status()).isEqualTo(200);
    }

    /** The same data as a server restarted (or another instance) sees it: the memory store is kept, the others opened again. */
    KeyValueStore reopened() {
        return switch (store) {
            case "redis" -> new RedisStore(redis.uri());
            case "memory" -> kv == null ? new MemoryStore() : kv;
            default -> TestServer.store(store, dir);
        };
    }

    /** Stops the server and starts another on the same data, with these options. */
    void restart(UnaryOperator<ToolRuntime.Builder> options) {
        s.close();
        s = new TestServer(reopened(), options, c -> c);
    }

    @AfterEach
    void stop() throws Exception {
        if (s == null) {
            return; // skipped before anything started: this machine has no redis-server
        }
        s.close();
        if (redis != null) {
            redis.close();
        }
    }

    /** A session with files, a directory, script state, a mock overlay, a seed and a trace. */
    void populate(String session) {
        assertThat(s.post("/sessions", "{\"session_id\":\"" + session + "\",\"seed\":5,\"ttl_seconds\":600,\"files\":{\"src/app.py\":\"print('hi')\\n\",\"notes.md\":\"ünïcode\"}}").status()).isEqualTo(201);
        s.vfs(session, "make_directory", "{\"directory\":\"empty\"}");
        s.post("/execute", "{\"session_id\":\"" + session + "\",\"tool\":\"count\",\"args\":{}}");
        s.post("/execute", "{\"session_id\":\"" + session + "\",\"tool\":\"count\",\"args\":{}}");
        s.post("/mock/add-fixture", "{\"session_id\":\"" + session + "\",\"name\":\"count\",\"match\":{\"x\":1},\"response\":\"fixed\"}");
    }

    JsonNode snapshot(String session) {
        var taken = s.post("/sessions/" + session + "/snapshot", "{}");
        assertThat(taken.status()).as(taken.raw().body()).isEqualTo(201);
        return taken.json();
    }

    JsonNode count(String session) {
        return Json.parse(s.post("/execute", "{\"session_id\":\"" + session + "\",\"tool\":\"count\",\"args\":{}}").json().path("result").asString());
    }

    @Test
    void anExportedArchiveImportsAsAnIdenticalSession() {
        populate("original");
        JsonNode info = snapshot("original");
        assertThat(info.path("digest").asString()).startsWith("sha256:").hasSize(71);
        var archive = s.get("/snapshots/" + info.path("snapshot_id").asString());
        assertThat(archive.status()).isEqualTo(200);
        byte[] bytes = archive.raw().body().getBytes(StandardCharsets.UTF_8);
        assertThat((long) bytes.length).isEqualTo(info.path("bytes").asLong());
        assertThat(archive.json().path("format").asString()).isEqualTo("spindle-snapshot");
        assertThat(archive.json().path("session").path("seed").asLong()).isEqualTo(5);

        var imported = s.post("/snapshots", archive.raw().body());
        assertThat(imported.status()).as(imported.raw().body()).isEqualTo(201);
        assertThat(imported.json().path("digest").asString()).isEqualTo(info.path("digest").asString());
        assertThat(imported.json().path("snapshot_id").asString()).isNotEqualTo(info.path("snapshot_id").asString());

        var restored = s.post("/sessions", "{\"session_id\":\"restored\",\"from\":{\"snapshot\":\"" + imported.json().path("snapshot_id").asString() + "\"}}");
        assertThat(restored.status()).as(restored.raw().body()).isEqualTo(201);
        assertThat(restored.json().path("seed").asLong()).isEqualTo(5);
        assertThat(s.get("/sessions/restored/files").json().path("files")).isEqualTo(s.get("/sessions/original/files").json().path("files"));
        assertThat(calls(s.get("/sessions/restored/trace").json())).isEqualTo(calls(s.get("/sessions/original/trace").json()));
        assertThat(s.vfs("restored", "list_directory", "{}").json().path("result").asString()).contains("empty");
        assertThat(s.get("/mock/state?session_id=restored").json().path("state")).isEqualTo(s.get("/mock/state?session_id=original").json().path("state"));
        assertThat(s.post("/execute", "{\"session_id\":\"restored\",\"tool\":\"count\",\"args\":{\"x\":1}}").json().path("result").asString()).isEqualTo("fixed");
        // same seed, same state, same call count: the next answer is the one the original gives
        assertThat(count("restored")).isEqualTo(count("original"));
    }

    /** The trace without the timings and sequence numbers a replay renumbers. */
    static JsonNode calls(JsonNode trace) {
        var calls = Json.array();
        trace.path("calls").forEach(c -> calls.add(((ObjectNode) c.deepCopy()).put("seq", 0)));
        return calls;
    }

    @Test
    void pastTheSnapshotLimitNoneIsTakenOrUploadedUntilOneIsDeleted() {
        restart(b -> b.withMaxSnapshots(2));
        assertThat(s.post("/sessions", "{\"session_id\":\"a\",\"files\":{\"x.txt\":\"1\"}}").status()).isEqualTo(201);
        String first = snapshot("a").path("snapshot_id").asString();
        snapshot("a");
        var refused = s.post("/sessions/a/snapshot", "{}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("error_type").asString()).isEqualTo("QuotaExceeded");
        assertThat(refused.json().path("error").asString()).contains("2 snapshots are stored", "--max-snapshots 2", "DELETE /snapshots/{id}");
        var upload = s.post("/snapshots", s.get("/snapshots/" + first).raw().body());
        assertThat(upload.status()).as("an upload is a snapshot too").isEqualTo(422);
        assertThat(s.delete("/snapshots/" + first).status()).isEqualTo(200);
        assertThat(s.post("/sessions/a/snapshot", "{}").status()).isEqualTo(201);
    }

    /** Sessions expire, snapshots do not: on Redis too, where a copy of a session's keys would take their expiry with it. */
    @Test
    void aSnapshotOutlivesTheSessionItWasTakenFrom() throws Exception {
        restart(b -> b.withSweepInterval(java.time.Duration.ofMillis(100)));
        assertThat(s.post("/sessions", "{\"session_id\":\"brief\",\"ttl_seconds\":1,\"files\":{\"notes.md\":\"ünïcode\"}}").status()).isEqualTo(201);
        count("brief");
        String id = snapshot("brief").path("snapshot_id").asString();
        String archive = s.get("/snapshots/" + id).raw().body();
        Thread.sleep(4_000); // past the session's TTL, and on Redis past its keys' own expiry
        assertThat(s.get("/sessions/brief").status()).isEqualTo(404);
        assertThat(s.get("/snapshots/" + id).raw().body()).isEqualTo(archive);
        var restored = s.post("/sessions", "{\"session_id\":\"again\",\"from\":{\"snapshot\":\"" + id + "\"}}");
        assertThat(restored.status()).isEqualTo(201);
        assertThat(s.vfs("again", "read_file", "{\"file_path\":\"notes.md\"}").json().path("result").asString()).isEqualTo("ünïcode");
    }

    /** Snapshots never expire: the bytes they take are bounded in the store, across restarts and instances. */
    @Test
    void pastTheSnapshotByteBudgetNoneIsTakenOrUploadedUntilOneIsDeleted() {
        UnaryOperator<ToolRuntime.Builder> budget = b -> b.withMaxSnapshotBytes(3 << 20);
        restart(budget);
        assertThat(s.post("/sessions", "{\"session_id\":\"a\",\"files\":{\"big.txt\":\"" + "x".repeat(1 << 20) + "\"}}").status()).isEqualTo(201);
        String first = snapshot("a").path("snapshot_id").asString();
        snapshot("a");
        String archive = s.get("/snapshots/" + first).raw().body();
        var refused = s.post("/sessions/a/snapshot", "{}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("error_type").asString()).isEqualTo("QuotaExceeded");
        assertThat(refused.json().path("error").asString()).contains("the snapshots stored take 2", "--max-snapshot-bytes", "DELETE /snapshots/{id}");
        assertThat(s.post("/snapshots", archive).status()).as("an upload is a snapshot too").isEqualTo(422);
        restart(budget); // counted in the store: a restarted server (on Redis, any instance) counts what is there
        assertThat(s.post("/sessions/a/snapshot", "{}").status()).isEqualTo(422);
        assertThat(s.delete("/snapshots/" + first).status()).isEqualTo(200);
        assertThat(s.post("/snapshots", archive).status()).isEqualTo(201);
        assertThat(s.post("/sessions/a/snapshot", "{}").status()).isEqualTo(422);
    }

    /** A component's state counts against the session quotas as files do: in an upload, and in a restore under smaller quotas. */
    @Test
    void everyNamespaceOfASnapshotCountsAgainstTheSessionQuotas() {
        populate("original");
        ObjectNode good = (ObjectNode) s.get("/snapshots/" + snapshot("original").path("snapshot_id").asString()).json();
        String manyOverlays = with(good, a -> {
            ObjectNode overlays = ((ObjectNode) a.path("data")).putObject("state:mock");
            for (int i = 0; i < 30; i++) {
                overlays.put("tool" + i, "e30=");
            }
        });
        String kept = s.post("/snapshots", manyOverlays).json().path("snapshot_id").asString();
        restart(b -> b.withQuotas(new Quotas(4 << 20, 20, 64 << 20)));
        refused("a namespace past --max-files", manyOverlays, 422, "the archive holds 30 entries and 60 bytes in \"state:mock\"; a session may hold 20");
        var restore = s.post("/sessions", "{\"session_id\":\"copy\",\"from\":{\"snapshot\":\"" + kept + "\"}}");
        assertThat(restore.status()).as(restore.raw().body()).isEqualTo(422);
        assertThat(restore.json().path("error").asString()).contains("the snapshot holds 30 entries");
        assertThat(s.get("/sessions/copy").status()).isEqualTo(404);
    }

    @Test
    void aRestoreIsIndependentOfTheOriginalAndOfTheSnapshot() {
        populate("original");
        String id = snapshot("original").path("snapshot_id").asString();
        s.vfs("original", "write_file", "{\"file_path\":\"notes.md\",\"content\":\"changed after\"}");
        assertThat(count("original").path("n").asInt()).isEqualTo(3);
        var restored = s.post("/sessions", "{\"from\":{\"snapshot\":\"" + id + "\"},\"seed\":9}");
        String copy = restored.json().path("session_id").asString();
        assertThat(restored.json().path("seed").asLong()).isEqualTo(9);
        assertThat(s.vfs(copy, "read_file", "{\"file_path\":\"notes.md\"}").json().path("result").asString()).isEqualTo("ünïcode");
        assertThat(count(copy).path("n").asInt()).isEqualTo(3);
        assertThat(count(copy).path("n").asInt()).isEqualTo(4);
        assertThat(count("original").path("n").asInt()).isEqualTo(4);
        s.delete("/sessions/original");
        var again = s.post("/sessions", "{\"session_id\":\"again\",\"from\":{\"snapshot\":\"" + id + "\"}}");
        assertThat(count("again").path("n").asInt()).isEqualTo(3);
        assertThat(s.delete("/snapshots/" + id).status()).isEqualTo(200);
        assertThat(s.get("/snapshots/" + id).status()).isEqualTo(404);
        assertThat(s.delete("/snapshots/" + id).status()).isEqualTo(404);
        assertThat(s.post("/sessions", "{\"from\":{\"snapshot\":\"" + id + "\"}}").status()).isEqualTo(404);
        assertThat(count(copy).path("n").asInt()).isEqualTo(5);
        assertThat(s.get("/health").json().path("sessions").asInt()).isEqualTo(2);
        assertThat(s.post("/sessions/missing/snapshot", "{}").status()).isEqualTo(404);
    }

    @Test
    void hostileArchivesAreRefusedWithClearErrorsAndStoreNothing() {
        populate("original");
        String id = snapshot("original").path("snapshot_id").asString();
        ObjectNode good = (ObjectNode) s.get("/snapshots/" + id).json();
        refused("not json", "{", 400, "not a snapshot archive");
        refused("other format", "{\"format\":\"zip\"}", 400, "\"format\" must be \"spindle-snapshot\"");
        refused("future version", with(good, a -> a.put("version", 2)), 400, "version 2 is not supported");
        refused("escaping path", withFile(good, "../../etc/passwd"), 403, "");
        refused("denied path", withFile(good, "etc/shadow"), 403, "");
        refused("not canonical", withFile(good, "a/./b"), 400, "not in canonical form");
        refused("foreign namespace", with(good, a -> ((ObjectNode) a.path("data")).putObject("session").put("meta", "e30=")), 400, "is not one a session holds");
        refused("other component", with(good, a -> ((ObjectNode) a.path("data")).putObject("state:github").put("k", "e30=")), 400, "is not one a session holds");
        refused("not base64", with(good, a -> ((ObjectNode) a.path("data").path("files")).put("x.txt", "!!!")), 400, "is not base64");
        refused("negative seed", with(good, a -> ((ObjectNode) a.path("session")).put("seed", -1)), 400, "session.seed");
        refused("bad trace", with(good, a -> a.withArray("trace").add(Json.object().put("tool", 5))), 400, "trace[");
        // trees no session can hold, as seeding refuses them
        refused("a file below a file", with(good, a -> ((ObjectNode) a.path("data").path("files")).put("a", "eA==").put("a/b", "eA==")), 400,
                "its files and directories contradict each other: Not a directory: 'a' is a file");
        refused("a file and a directory of one name", with(good, a -> {
            ((ObjectNode) a.path("data").path("files")).put("a", "eA==");
            ((ObjectNode) a.path("data").path("dirs")).put("a", "");
        }), 400, "'a' already exists as a file");
        refused("a directory below a file", with(good, a -> {
            ((ObjectNode) a.path("data").path("files")).put("a", "eA==");
            ((ObjectNode) a.path("data").path("dirs")).put("a/b", "");
        }), 400, "contradict each other");
        refused("huge file", withFile(good, "big.bin", new byte[5 << 20]), 422, "the limit per file");
        refused("a state namespace past --max-files", with(good, a -> {
            ObjectNode overlays = ((ObjectNode) a.path("data")).putObject("state:mock");
            for (int i = 0; i <= 10_000; i++) {
                overlays.put("t" + i, "");
            }
        }), 422, "the archive holds 10001 entries");
        refused("no files and restore fields", "{\"format\":\"spindle-snapshot\"}", 400, "version");
        // component state is the component's to check, when it is used
        var edited = s.post("/snapshots", with(good, a -> ((ObjectNode) a.path("data").path("state:mock\u0000script"))
                .put("state", Base64.getEncoder().encodeToString("[1]".getBytes(StandardCharsets.UTF_8)))));
        assertThat(edited.status()).isEqualTo(201);
        s.post("/sessions", "{\"session_id\":\"edited\",\"from\":{\"snapshot\":\"" + edited.json().path("snapshot_id").asString() + "\"}}");
        JsonNode broken = s.post("/execute", "{\"session_id\":\"edited\",\"tool\":\"count\",\"args\":{}}").json();
        assertThat(broken.path("error_type").asString()).isEqualTo("ComponentFailed");
        assertThat(broken.path("result").asString()).contains("script state is not a JSON object");
        s.delete("/sessions/edited");
        var mixed = s.post("/sessions", "{\"from\":{\"snapshot\":\"" + id + "\"},\"files\":{\"a\":\"b\"}}");
        assertThat(mixed.status()).isEqualTo(400);
        assertThat(s.get("/health").json().path("sessions").asInt()).isEqualTo(1);
    }

    void refused(String what, String archive, int status, String message) {
        var answer = s.post("/snapshots", archive);
        assertThat(answer.status()).as(what + ": " + answer.raw().body()).isEqualTo(status);
        assertThat(answer.json().path("error").asString()).as(what).contains(message);
    }

    static String with(ObjectNode archive, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode copy = archive.deepCopy();
        change.accept(copy);
        return Json.write(copy);
    }

    static String withFile(ObjectNode archive, String path) {
        return withFile(archive, path, "x".getBytes(StandardCharsets.UTF_8));
    }

    static String withFile(ObjectNode archive, String path, byte[] content) {
        return with(archive, a -> ((ObjectNode) a.path("data").path("files")).put(path, Base64.getEncoder().encodeToString(content)));
    }
}
