package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.client.SpindleClient;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.testing.Git;
import dev.spindle.testing.SymlinkCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Our session API, driven through the Java client the generator will use. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "sqlite"})
@Timeout(60)
class SessionApiTest {
    @Parameter
    String store;

    @TempDir
    Path dir;

    TestServer s;
    SpindleClient client;

    @BeforeEach
    void start() {
        s = TestServer.start(store, dir);
        client = SpindleClient.connect(s.base + "/");
    }

    @AfterEach
    void stop() {
        client.close();
        s.close();
    }

    ToolResult call(String session, String tool, String args) {
        return client.execute(new ToolCall(session, "vfs", tool, Json.parse(args)));
    }

    @Test
    void createSeedsFilesInOneCall() {
        var info = client.openSession(new SessionSpec("seeded", Map.of("config.json", "{\"debug\": true}", "src/main.py", "print(1)\n"), null));
        assertThat(info.sessionId()).isEqualTo("seeded");
        assertThat(info.files()).isEqualTo(2);
        assertThat(info.bytes()).isEqualTo(24);
        assertThat(info.expiresAt()).isAfter(info.createdAt().plus(Duration.ofMinutes(59)));
        assertThat(call("seeded", "read_file", "{\"file_path\":\"config.json\"}").result()).isEqualTo("{\"debug\": true}");
        var raw = s.post("/sessions", "{\"files\":{\"a\":\"1\"}}");
        assertThat(raw.status()).isEqualTo(201);
        assertThat(raw.json().path("session_id").asString()).hasSize(36);
        assertThat(raw.json().path("files").asInt()).isEqualTo(1);
    }

    @Test
    void badCreationsAreClearErrors() {
        client.openSession(new SessionSpec("taken", Map.of(), null));
        var conflict = catchThrowableOfType(SpindleException.class, () -> client.openSession(new SessionSpec("taken", Map.of(), null)));
        assertThat(conflict.type()).isEqualTo(ErrorType.Conflict);
        assertThat(s.post("/sessions", "{\"session_id\":\"taken\"}").status()).isEqualTo(409);
        for (String body : new String[] {"{\"files\":[\"a\"]}", "{\"files\":{\"a\":1}}", "{\"ttl_seconds\":\"soon\"}",
                "{\"ttl_seconds\":0}", "{\"session_id\":42}", "{\"from\":\"/tmp\"}",
                "{\"from\":{\"dir\":\"a\",\"git\":\"b\"}}", "{\"from\":{\"archive\":\"x.tar\"}}", "[1]", "{oops"}) {
            var response = s.post("/sessions", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().path("error_type").asString()).as(body).isEqualTo("InvalidRequest");
        }
        var denied = s.post("/sessions", "{\"session_id\":\"evil\",\"files\":{\"../../etc/passwd\":\"x\"}}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().path("error_type").asString()).isEqualTo("PermissionDenied");
        assertThat(client.session("evil")).isEmpty();
    }

    @Test
    void seedsFromFoldersAndGitOnlyUnderTheSeedRoot() throws Exception {
        var closed = s.post("/sessions", "{\"from\":{\"dir\":\"/tmp\"}}");
        assertThat(closed.status()).isEqualTo(403);
        assertThat(closed.json().path("error").asString()).contains("--seed-root");

        Path seeds = Files.createDirectories(dir.resolve("seeds/project/src"));
        Files.writeString(seeds.resolve("main.py"), "print(1)\n");
        Files.writeString(seeds.resolve("../README.md"), "# p\n");
        Files.write(seeds.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff});
        Files.createSymbolicLink(dir.resolve("seeds/escape"), dir);
        Git.run(seeds.getParent(), "init", "-q", "-b", "main");
        Git.run(seeds.getParent(), "add", ".");
        Git.run(seeds.getParent(), "commit", "-q", "-m", "one");
        try (TestServer rooted = new TestServer(TestServer.store(store, dir.resolve("rooted")), b -> b, c -> c.withSeedRoot(dir.resolve("seeds")))) {
            var folder = rooted.post("/sessions", "{\"session_id\":\"f\",\"from\":{\"dir\":\"project\"},\"files\":{\"README.md\":\"inline wins\"}}");
            assertThat(folder.status()).as(folder.json().toString()).isEqualTo(201);
            assertThat(folder.json().path("files").asInt()).as("text files only").isEqualTo(2);
            assertThat(rooted.runtime.exportFiles("f")).containsExactly(Map.entry("README.md", "inline wins"), Map.entry("src/main.py", "print(1)\n"));

            var fromGit = rooted.post("/sessions", "{\"session_id\":\"g\",\"from\":{\"git\":\"project\",\"ref\":\"main\"}}");
            assertThat(fromGit.status()).as(fromGit.json().toString()).isEqualTo(201);
            assertThat(rooted.runtime.exportFiles("g")).containsKeys("README.md", "src/main.py");

            for (String outside : new String[] {"{\"dir\":\"../\"}", "{\"dir\":\"escape\"}", "{\"git\":\"/etc\"}"}) {
                var refused = rooted.post("/sessions", "{\"from\":" + outside + "}");
                assertThat(refused.status()).as(outside).isEqualTo(403);
                assertThat(refused.json().path("error_type").asString()).isEqualTo("NotAllowed");
            }
            for (String[] refused : new String[][] {
                    {"{\"dir\":\"project\",\"gti\":\"x\"}", "from: unknown key 'gti'; did you mean 'git'? known keys: dir, git, ref, snapshot"},
                    {"{\"dir\":\"project\",\"ref\":\"main\"}", "from.ref: needs git (ref is a branch or tag of that repository)"},
                    {"{\"dir\":\"\"}", "from.dir: must not be empty"}}) {
                var bad = rooted.post("/sessions", "{\"from\":" + refused[0] + "}");
                assertThat(bad.status()).as(refused[0]).isEqualTo(400);
                assertThat(bad.json().path("error").asString()).as(refused[0]).isEqualTo(refused[1]);
            }
            var badRef = rooted.post("/sessions", "{\"from\":{\"git\":\"project\",\"ref\":\"nope\"}}");
            assertThat(badRef.status()).isEqualTo(400);
            assertThat(badRef.json().path("error").asString()).contains("git clone").contains("nope");
        }
    }

    @Test
    void seedsFromFoldersGitAndLinkedRootsNeverFollowALinkOut() throws Exception {
        Path seeds = Files.createDirectories(dir.resolve("seeds"));
        Path links = Files.createDirectories(seeds.resolve("links"));
        SymlinkCorpus.create(links, dir.resolve("outside"));
        Git.run(links, "init", "-q", "-b", "main");
        Git.run(links, "add", "-A");
        Git.run(links, "commit", "-q", "-m", "links");
        Files.createSymbolicLink(seeds.resolve("linked-root"), Path.of("links"));
        try (TestServer rooted = new TestServer(TestServer.store(store, dir.resolve("rooted")), b -> b, c -> c.withSeedRoot(seeds))) {
            for (String from : new String[] {"{\"dir\":\"links\"}", "{\"git\":\"links\",\"ref\":\"main\"}", "{\"dir\":\"linked-root\"}"}) {
                var created = rooted.post("/sessions", "{\"from\":" + from + "}");
                assertThat(created.status()).as(from + ": " + created.json()).isEqualTo(201);
                Map<String, String> files = rooted.runtime.exportFiles(created.json().path("session_id").asString());
                assertThat(files).as(from).containsExactlyInAnyOrderEntriesOf(SymlinkCorpus.EXPECTED);
                assertThat(String.join("", files.values())).as(from).doesNotContain(SymlinkCorpus.SECRET, "root:");
            }
            var outsideRoot = rooted.post("/sessions", "{\"from\":{\"dir\":\"links/outside-dir\"}}");
            assertThat(outsideRoot.status()).isEqualTo(403);
            assertThat(outsideRoot.json().path("error_type").asString()).isEqualTo("NotAllowed");
        }
    }

    @Test
    void aForkCopiesAndThenDiverges() {
        client.openSession(new SessionSpec("template", Map.of("notes.txt", "v1"), null));
        var fork = client.forkSession("template", "copy");
        assertThat(fork.forkedFrom()).isEqualTo("template");
        assertThat(fork.files()).isEqualTo(1);
        call("copy", "write_file", "{\"file_path\":\"notes.txt\",\"content\":\"v2\"}");
        call("template", "write_file", "{\"file_path\":\"only-template.txt\",\"content\":\"t\"}");
        assertThat(client.exportFiles("template")).containsExactly(Map.entry("notes.txt", "v1"), Map.entry("only-template.txt", "t"));
        assertThat(client.exportFiles("copy")).containsExactly(Map.entry("notes.txt", "v2"));
        assertThat(client.forkSession("template", null).sessionId()).hasSize(36);
        assertThat(s.post("/sessions/missing/fork", "{}").status()).isEqualTo(404);
        assertThat(s.post("/sessions/template/fork", "{\"session_id\":\"copy\"}").status()).isEqualTo(409);
    }

    @Test
    void aSeedIsKeptWithTheSessionAndByItsForksUnlessTheyGiveAnother() {
        assertThat(client.openSession(new SessionSpec("seeded", Map.of(), null, 42L)).seed()).isEqualTo(42L);
        assertThat(s.get("/sessions/seeded").json().path("seed").asLong()).isEqualTo(42L);
        assertThat(client.forkSession("seeded", "same").seed()).isEqualTo(42L);
        var reseeded = s.post("/sessions/seeded/fork", "{\"session_id\":\"other\",\"seed\":7}");
        assertThat(reseeded.status()).isEqualTo(201);
        assertThat(reseeded.json().path("seed").asLong()).isEqualTo(7L);
        assertThat(client.session("seeded").orElseThrow().seed()).isEqualTo(42L);
        assertThat(client.openSession(new SessionSpec("unseeded", Map.of(), null)).seed()).isNull();
        assertThat(s.get("/sessions/unseeded").json().has("seed")).isFalse();
        for (String bad : new String[] {"-1", "1.5", "\"3\"", "1e30", "true"}) {
            var refused = s.post("/sessions", "{\"seed\":" + bad + "}");
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(refused.json().path("error").asString()).contains("seed must be a whole number from 0");
        }
        assertThat(s.post("/sessions/seeded/fork", "{\"seed\":-5}").status()).isEqualTo(400);
    }

    @Test
    void theTraceRecordsEveryCallInOrder() {
        call("traced", "write_file", "{\"file_path\":\"a\",\"content\":\"1\"}");
        call("traced", "read_file", "{\"file_path\":\"a\"}");
        call("traced", "read_file", "{\"file_path\":\"missing\"}");
        call("traced", "no_such_tool", "{}");
        var trace = client.trace("traced");
        assertThat(trace).extracting(t -> t.tool()).containsExactly("write_file", "read_file", "read_file", "no_such_tool");
        assertThat(trace).extracting(t -> t.seq()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(trace.get(1).result()).isEqualTo("1");
        assertThat(trace.get(1).args().path("file_path").asString()).isEqualTo("a");
        assertThat(trace.get(2).errorType()).isEqualTo(ErrorType.FileNotFound);
        assertThat(trace.get(3).errorType()).isEqualTo(ErrorType.UnknownTool);
        assertThat(trace.get(0).component()).isEqualTo("vfs");
        var raw = s.get("/sessions/traced/trace").json();
        assertThat(raw.path("session_id").asString()).isEqualTo("traced");
        assertThat(raw.path("calls").get(0).has("duration_us")).isTrue();
        assertThat(raw.path("calls").get(0).path("error_type").isNull()).isTrue();
        assertThat(client.session("traced").orElseThrow().calls()).isEqualTo(4);
    }

    @Test
    void theTraceOfCallsWithBigNestedArgumentsStaysSmall() {
        String args = "{\"x\":{\"y\":\"" + "y".repeat(9 << 20) + "\"}}";
        for (int i = 0; i < 4; i++) {
            assertThat(s.vfs("nested", "no_such_tool", args).status()).isEqualTo(200);
        }
        var trace = s.get("/sessions/nested/trace");
        assertThat(trace.raw().body().length()).as("was 36 MiB: every call kept whole").isLessThan(100_000);
        assertThat(trace.json().path("calls")).hasSize(4);
        assertThat(trace.json().path("dropped").asLong()).isZero();
        assertThat(trace.json().path("calls").get(0).path("args").path("x").path("y").asString()).endsWith(" more characters]");
    }

    @Test
    void aTraceLimitOfZeroKeepsNoTraceAndCallsSucceed() throws Exception {
        try (TestServer untraced = new TestServer(TestServer.store(store, Files.createDirectories(dir.resolve("untraced"))), b -> b.withTraceLimit(0), c -> c)) {
            var write = untraced.vfs("quiet", "write_file", "{\"file_path\":\"a\",\"content\":\"1\"}");
            assertThat(write.status()).isEqualTo(200);
            assertThat(write.json().path("success").asBoolean()).isTrue();
            var trace = untraced.get("/sessions/quiet/trace").json();
            assertThat(trace.path("calls")).isEmpty();
            assertThat(trace.path("dropped").asLong()).isEqualTo(1);
        }
    }

    @Test
    void deletingASessionRemovesItEverywhere() {
        client.openSession(new SessionSpec("gone", Map.of("a", "1", "b", "2", "c/d", "3"), null));
        var deleted = s.delete("/sessions/gone");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("deleted_files").asInt()).isEqualTo(3);
        assertThat(client.session("gone")).isEmpty();
        assertThat(s.delete("/sessions/gone").status()).isEqualTo(404);
        assertThat(s.get("/sessions/gone/files").status()).isEqualTo(404);
        assertThat(s.get("/sessions/gone/trace").status()).isEqualTo(404);
        assertThat(client.closeSession("gone")).isZero();
        assertThat(s.runtime.store().sessions()).doesNotContain("gone");
    }

    @Test
    void exportReturnsEveryFileAsText() {
        client.openSession(new SessionSpec("export", Map.of("z.txt", "last", "a/b.txt", "ünïcode"), null));
        var json = s.get("/sessions/export/files").json();
        assertThat(json.path("files").toString()).isEqualTo("{\"a/b.txt\":\"ünïcode\",\"z.txt\":\"last\"}");
    }

    @Test
    void componentsComeBackThroughTheClient() {
        var components = client.components();
        assertThat(components).extracting(c -> c.name()).containsExactly("vfs", "mock");
        assertThat(components.getFirst().name()).isEqualTo("vfs");
        assertThat(components.getFirst().tools()).hasSize(13);
        assertThat(components.getFirst().tools().getFirst().inputSchema().path("properties").has("file_path")).isTrue();
    }

    // GET /sessions: paging, prefix filter, order by last use or id, files and bytes per session

    private static List<String> ids(JsonNode page) {
        return page.path("sessions").valueStream().map(n -> n.path("session_id").asString()).toList();
    }

    @Test
    void listsTheMostRecentlyUsedFirstWithFilesBytesAndCalls() throws Exception {
        s.runtime.openSession(new SessionSpec("run-a", Map.of("x.txt", "hello", "y/z.txt", "12"), null));
        Thread.sleep(5);
        s.runtime.openSession(new SessionSpec("run-b", Map.of(), null));
        Thread.sleep(5);
        s.runtime.openSession(new SessionSpec("other", Map.of(), null));
        Thread.sleep(5);
        assertThat(s.vfs("run-a", "read_file", "{\"file_path\":\"x.txt\"}").status()).isEqualTo(200);

        TestServer.Response all = s.get("/sessions");
        assertThat(all.status()).isEqualTo(200);
        assertThat(ids(all.json())).containsExactly("run-a", "other", "run-b");
        JsonNode a = all.json().path("sessions").get(0);
        assertThat(a.path("files").asInt()).isEqualTo(2);
        assertThat(a.path("bytes").asLong()).isEqualTo(7);
        assertThat(a.path("calls").asInt()).isEqualTo(1);
        assertThat(all.json().path("sessions").get(1).path("files").asInt()).isZero();
        assertThat(all.json().path("total").asInt()).isEqualTo(3);
        assertThat(all.json().path("next_offset").isNull()).isTrue();

        assertThat(ids(s.get("/sessions?sort=id").json())).containsExactly("other", "run-a", "run-b");
        JsonNode filtered = s.get("/sessions?prefix=run-&sort=id").json();
        assertThat(ids(filtered)).containsExactly("run-a", "run-b");
        assertThat(filtered.path("total").asInt()).isEqualTo(2);
    }

    @Test
    void pagesThroughTenThousandSessions() {
        IntStream.range(0, 10_000).forEach(i -> s.runtime.openSession(new SessionSpec("s%05d".formatted(i), i % 100 == 0 ? Map.of("f", "abc") : Map.of(), null)));
        JsonNode first = s.get("/sessions?sort=id&limit=100").json();
        assertThat(first.path("total").asInt()).isEqualTo(10_000);
        assertThat(ids(first)).hasSize(100).startsWith("s00000", "s00001").endsWith("s00099");
        assertThat(first.path("sessions").get(0).path("bytes").asLong()).isEqualTo(3);
        assertThat(first.path("next_offset").asInt()).isEqualTo(100);

        JsonNode last = s.get("/sessions?sort=id&offset=9990&limit=100").json();
        assertThat(ids(last)).hasSize(10).startsWith("s09990").endsWith("s09999");
        assertThat(last.path("next_offset").isNull()).isTrue();
        assertThat(ids(s.get("/sessions?prefix=s0999&sort=id").json())).hasSize(10).first().isEqualTo("s09990");
        assertThat(ids(s.get("/sessions?offset=20000").json())).isEmpty();
        assertThat(ids(s.get("/sessions?limit=5").json())).hasSize(5);
    }

    @Test
    void refusesBadQueries() {
        for (String query : List.of("limit=0", "limit=501", "limit=ten", "offset=-1", "sort=size", "prefix=" + "x".repeat(300))) {
            TestServer.Response response = s.get("/sessions?" + query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.json().path("error_type").asString()).isEqualTo("InvalidRequest");
        }
    }
}
