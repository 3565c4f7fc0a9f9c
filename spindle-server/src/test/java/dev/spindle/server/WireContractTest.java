package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The Spin-compatible routes over real HTTP, on both embedded stores. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "sqlite"})
@Timeout(60)
class WireContractTest {
    @Parameter
    String store;

    @TempDir
    Path dir;

    TestServer s;

    @BeforeEach
    void start() {
        s = TestServer.start(store, dir);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void healthReportsComponentsVersionStoreAndSessions() {
        var health = s.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("healthy");
        assertThat(health.json().path("components").toString()).isEqualTo("[\"vfs\",\"mock\"]");
        assertThat(health.json().path("version").asString()).isNotBlank().isNotEqualTo("unknown");
        assertThat(health.json().path("store").asString()).startsWith(store);
        assertThat(health.json().path("sessions").asInt()).isZero();
        s.vfs("one", "list_files", "{}");
        assertThat(s.get("/health").json().path("sessions").asInt()).isEqualTo(1);
        var vfsHealth = s.get("/vfs/health");
        assertThat(vfsHealth.status()).isEqualTo(200);
        assertThat(vfsHealth.json().path("components").toString()).isEqualTo("[\"vfs\"]");
        assertThat(health.header("content-type")).isEqualTo("application/json");
    }

    @Test
    void componentsListToolDefinitions() {
        assertThat(s.get("/components").json().path("components").toString()).isEqualTo("[\"vfs\",\"mock\"]");
        for (String path : List.of("/components", "/vfs/components")) {
            var json = s.get(path).json();
            assertThat(json.path("tools")).hasSize(13);
            var read = json.path("tools").get(0);
            assertThat(read.path("name").asString()).isEqualTo("read_file");
            assertThat(read.path("component").asString()).isEqualTo("vfs");
            assertThat(read.path("inputSchema").path("required").toString()).isEqualTo("[\"file_path\"]");
            assertThat(read.path("annotations").path("readOnlyHint").asBoolean()).isTrue();
        }
    }

    @Test
    void unknownComponentsAnswer404Json() {
        for (var response : List.of(s.get("/nope/health"), s.get("/nope/components"), s.post("/nope/execute", "{}"), s.delete("/nope/session/x"))) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.json().path("error_type").asString()).isEqualTo("UnknownComponent");
            assertThat(response.json().path("error").asString()).contains("nope").contains("vfs");
        }
    }

    @Test
    void theEnvelopeShapeAnswers200EvenWhenTheToolFails() {
        var write = s.vfs("s1", "write_file", "{\"file_path\":\"a.txt\",\"content\":\"hello\"}");
        assertThat(write.status()).isEqualTo(200);
        assertThat(write.raw().body()).isEqualTo("{\"success\":true,\"result\":\"Successfully wrote 5 bytes to a.txt\"}");
        var missing = s.vfs("s1", "read_file", "{\"file_path\":\"b.txt\"}");
        assertThat(missing.status()).isEqualTo(200);
        assertThat(missing.raw().body()).isEqualTo("{\"success\":false,\"result\":\"File not found: b.txt\",\"error_type\":\"FileNotFound\"}");
        var unknown = s.vfs("s1", "format_disk", "{}");
        assertThat(unknown.json().path("error_type").asString()).isEqualTo("UnknownTool");
        assertThat(unknown.json().path("result").asString()).startsWith("Unknown tool: format_disk");
        var wrongArgs = s.vfs("s1", "read_file", "[\"a\"]");
        assertThat(wrongArgs.status()).isEqualTo(200);
        assertThat(wrongArgs.json().path("error_type").asString()).isEqualTo("InvalidArguments");
        var wrongType = s.vfs("s1", "write_file", "{\"file_path\":\"a\",\"content\":42}");
        assertThat(wrongType.json().path("error_type").asString()).isEqualTo("InvalidArguments");
        assertThat(wrongType.json().path("result").asString()).contains("content").contains("string");
    }

    @Test
    void theNameArgumentsShapeAnswersResultOrANon200Error() {
        var write = s.post("/vfs/execute", "{\"name\":\"write_file\",\"arguments\":{\"file_path\":\"n.txt\",\"content\":\"x\"},\"session_id\":\"named\"}");
        assertThat(write.status()).isEqualTo(200);
        assertThat(write.raw().body()).isEqualTo("{\"result\":\"Successfully wrote 1 bytes to n.txt\"}");
        var read = s.post("/vfs/execute", "{\"name\":\"read_file\",\"arguments\":{\"file_path\":\"n.txt\"},\"session_id\":\"named\"}");
        assertThat(read.json().path("result").asString()).isEqualTo("x");
        var missing = s.post("/vfs/execute", "{\"name\":\"read_file\",\"arguments\":{\"file_path\":\"zz\"},\"session_id\":\"named\"}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.raw().body()).isEqualTo("{\"error\":\"File not found: zz\",\"error_type\":\"FileNotFound\"}");
        var denied = s.post("/vfs/execute", "{\"name\":\"read_file\",\"arguments\":{\"file_path\":\"/etc/passwd\"}}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().path("error_type").asString()).isEqualTo("PermissionDenied");
        var unknown = s.post("/vfs/execute", "{\"name\":\"nope\",\"arguments\":{}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("error_type").asString()).isEqualTo("UnknownTool");
    }

    @Test
    void theNameArgumentsShapeTakesItsSessionFromBodyHeaderQueryOrDefault() {
        s.post("/vfs/execute", "{\"name\":\"write_file\",\"arguments\":{\"file_path\":\"where\",\"content\":\"default\"}}");
        s.send("POST", "/vfs/execute", "{\"name\":\"write_file\",\"arguments\":{\"file_path\":\"where\",\"content\":\"header\"}}", "x-session-id", "h");
        s.post("/vfs/execute?session_id=q", "{\"name\":\"write_file\",\"arguments\":{\"file_path\":\"where\",\"content\":\"query\"}}");
        assertThat(s.vfs("default", "read_file", "{\"file_path\":\"where\"}").json().path("result").asString()).isEqualTo("default");
        assertThat(s.vfs("h", "read_file", "{\"file_path\":\"where\"}").json().path("result").asString()).isEqualTo("header");
        assertThat(s.vfs("q", "read_file", "{\"file_path\":\"where\"}").json().path("result").asString()).isEqualTo("query");
    }

    @Test
    void topLevelExecuteRoutesByToolName() {
        var write = s.post("/execute", "{\"session_id\":\"top\",\"tool\":\"write_file\",\"args\":{\"file_path\":\"t\",\"content\":\"1\"}}");
        assertThat(write.json().path("success").asBoolean()).isTrue();
        assertThat(s.vfs("top", "read_file", "{\"file_path\":\"t\"}").json().path("result").asString()).isEqualTo("1");
        var unknown = s.post("/execute", "{\"session_id\":\"top\",\"tool\":\"nope\",\"args\":{}}");
        assertThat(unknown.json().path("error_type").asString()).isEqualTo("UnknownTool");
    }

    @Test
    void malformedRequestsAre400JsonReadableByBothClients() {
        for (String body : List.of("{bad json", "", "[]", "42", "\"text\"", "{}", "{\"session_id\":\"x\"}",
                "{\"session_id\":5,\"tool\":\"read_file\",\"args\":{}}", "{\"session_id\":\"x\",\"tool\":[\"read_file\"],\"args\":{}}",
                "{\"tool\":\"read_file\",\"args\":{}}", "{\"session_id\":\"\",\"tool\":\"read_file\",\"args\":{}}",
                "{\"name\":7}", "\u0000\u0001")) {
            var response = s.post("/vfs/execute", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().path("success").asBoolean(true)).as(body).isFalse();
            assertThat(response.json().path("error_type").asString()).as(body).isEqualTo("InvalidRequest");
            assertThat(response.json().path("result").asString()).as(body).startsWith("Invalid request: ");
            assertThat(response.json().path("error").asString()).as(body).startsWith("Invalid request: ");
        }
        assertThat(s.get("/health").status()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAndWrongMethodsAreJson() {
        var notFound = s.get("/no/such/route/here");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().path("error_type").asString()).isEqualTo("NotFound");
        assertThat(s.get("/").status()).isEqualTo(404);
        var wrongMethod = s.get("/vfs/execute");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("allow")).isEqualTo("POST");
        assertThat(wrongMethod.json().path("error_type").asString()).isEqualTo("MethodNotAllowed");
        assertThat(s.post("/health", "{}").status()).isEqualTo(405);
        var encoded = s.get("/sessions/a%2Fb%20c");
        assertThat(encoded.status()).isEqualTo(404);
        assertThat(encoded.json().path("error").asString()).contains("'a/b c'");
    }

    @Test
    void cleanupThroughBothDeepFabricRoutesEmptiesTheSession() {
        for (String route : List.of("/session/", "/vfs/session/")) {
            String id = "clean-" + route.length();
            s.vfs(id, "write_file", "{\"file_path\":\"a\",\"content\":\"1\"}");
            s.vfs(id, "write_file", "{\"file_path\":\"b/c\",\"content\":\"2\"}");
            var deleted = s.delete(route + id);
            assertThat(deleted.status()).isEqualTo(200);
            assertThat(deleted.raw().body()).isEqualTo("{\"success\":true,\"deleted_files\":2}");
            assertThat(s.vfs(id, "list_files", "{}").json().path("result").asString()).isEqualTo("[]");
            assertThat(s.delete(route + "never-existed").json().path("deleted_files").asInt()).isZero();
        }
    }

    @Test
    void everyToolWorksOverHttp() {
        String id = "tour";
        String[][] calls = {
                {"write_file", "{\"file_path\":\"src/app.py\",\"content\":\"print('hi')\\n# TODO\\n\"}", "Successfully wrote 19 bytes to src/app.py"},
                {"read_file", "{\"file_path\":\"src/app.py\"}", "print('hi')\n# TODO\n"},
                {"append_file", "{\"file_path\":\"src/app.py\",\"content\":\"x = 1\\n\"}", "Successfully appended 6 bytes to src/app.py (now 25 bytes)"},
                {"edit_file", "{\"file_path\":\"src/app.py\",\"old_string\":\"x = 1\",\"new_string\":\"x = 2\"}", "Successfully replaced 1 occurrence in src/app.py"},
                {"make_directory", "{\"directory\":\"docs\"}", "Successfully created directory docs"},
                {"copy_file", "{\"source\":\"src/app.py\",\"destination\":\"docs/app.py\"}", "Successfully copied src/app.py to docs/app.py"},
                {"move_file", "{\"source\":\"docs/app.py\",\"destination\":\"docs/old.py\"}", "Successfully moved docs/app.py to docs/old.py"},
                {"list_files", "{}", "[\"docs/old.py\",\"src/app.py\"]"},
                {"list_files", "{\"directory\":\"src\",\"recursive\":false,\"pattern\":\"*.py\"}", "[\"src/app.py\"]"},
                {"list_directory", "{}", "[DIR] docs/\n[DIR] src/"},
                {"search_files", "{\"pattern\":\"x = \\\\d\"}", "docs/old.py:3:x = 2\nsrc/app.py:3:x = 2"},
                {"find_files", "{\"glob\":\"*.py\"}", "[\"docs/old.py\",\"src/app.py\"]"},
                {"file_info", "{\"file_path\":\"src/app.py\"}", "{\"path\":\"src/app.py\",\"type\":\"file\",\"size\":25,\"lines\":3}"},
                {"delete_file", "{\"file_path\":\"docs/old.py\"}", "Successfully deleted docs/old.py"},
        };
        for (String[] call : calls) {
            var response = s.vfs(id, call[0], call[1]);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().path("result").asString()).as(call[0]).isEqualTo(call[2]);
            assertThat(response.json().path("success").asBoolean()).as(call[0]).isTrue();
        }
    }

    @Test
    void aGlobThatWouldBacktrackAnswersAtOnceAndABadGlobIsInvalidArguments() {
        s.vfs("g", "write_file", "{\"file_path\":\"" + "a".repeat(200) + ".txt\",\"content\":\"x\"}");
        long start = System.nanoTime();
        var found = s.vfs("g", "find_files", "{\"glob\":\"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\"}");
        assertThat(found.json().path("result").asString()).isEqualTo("[]");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
        for (String bad : new String[] {"[[]", "[z-a]"}) {
            var refused = s.vfs("g", "find_files", "{\"glob\":\"" + bad + "\"}");
            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.json().path("error_type").asString()).isEqualTo("InvalidArguments");
            assertThat(refused.json().path("result").asString()).startsWith("Invalid glob '" + bad + "'");
        }
    }

    @Test
    void aLoneSurrogateInContentIsRefusedNotStoredAsAQuestionMark() {
        String lone = "\"a\\ud800b\"";
        for (var refused : List.of(
                s.vfs("u", "write_file", "{\"file_path\":\"w.txt\",\"content\":" + lone + "}"),
                s.vfs("u", "append_file", "{\"file_path\":\"w.txt\",\"content\":" + lone + "}"),
                s.vfs("u", "write_file", "{\"file_path\":\"x\\udc00.txt\",\"content\":\"x\"}"))) {
            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.json().path("success").asBoolean()).isFalse();
            assertThat(refused.json().path("error_type").asString()).isEqualTo("InvalidArguments");
            assertThat(refused.json().path("result").asString()).containsPattern("lone surrogate \\(U\\+D[8C]00\\) at character 1");
        }
        assertThat(s.vfs("u", "write_file", "{\"file_path\":\"e.txt\",\"content\":\"\\ud83d\\ude00 ok\"}").json().path("success").asBoolean()).isTrue();
        var edit = s.vfs("u", "edit_file", "{\"file_path\":\"e.txt\",\"old_string\":\"\\ud83d\",\"new_string\":\"x\"}");
        assertThat(edit.json().path("error_type").asString()).as("half of a pair is not text either").isEqualTo("InvalidArguments");
        assertThat(s.vfs("u", "read_file", "{\"file_path\":\"e.txt\"}").json().path("result").asString()).isEqualTo("\uD83D\uDE00 ok");
        assertThat(s.vfs("u", "list_files", "{}").json().path("result").asString()).isEqualTo("[\"e.txt\"]");

        var seeded = s.post("/sessions", "{\"session_id\":\"seeded\",\"files\":{\"a.txt\":\"ok\",\"b.txt\":" + lone + "}}");
        assertThat(seeded.status()).isEqualTo(400);
        assertThat(seeded.json().path("error_type").asString()).isEqualTo("InvalidArguments");
        assertThat(seeded.json().path("error").asString()).contains("File 'b.txt' has a lone surrogate (U+D800) at character 1");
        assertThat(s.get("/sessions/seeded").status()).isEqualTo(404);
    }

    @Test
    void aPathThatIsNotDeniedLandsInTheSessionNeverOnTheHost() {
        // The whole hostile-path corpus, through every tool, is HostilePathsTest.
        String marker = "spindle-escape-" + UUID.randomUUID();
        Path hostTarget = Path.of("/tmp", marker);
        assertThat(s.vfs("nasty", "write_file", "{\"file_path\":\"" + hostTarget + "\",\"content\":\"x\"}").json().path("success").asBoolean()).isTrue();
        assertThat(Files.exists(hostTarget)).isFalse();
        assertThat(s.runtime.exportFiles("nasty")).containsOnlyKeys("tmp/" + marker);
        assertThat(s.vfs("nasty", "read_file", "{\"file_path\":\"/etc/hostname\"}").json().path("error_type").asString()).isEqualTo("PermissionDenied");
    }
}
