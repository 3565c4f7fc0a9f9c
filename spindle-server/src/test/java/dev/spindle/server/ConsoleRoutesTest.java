package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.store.MemoryStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The web console's files at /ui/ and its dataset routes, over HTTP (the browser tests are in spindle-cli). */
@Timeout(60)
class ConsoleRoutesTest {
    static final String READ = """
            {"messages":[{"role":"user","content":"show a"},{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"read_file","arguments":"{\\"file_path\\":\\"a\\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"alpha"},{"role":"assistant","content":"It says alpha."}]}""";
    static final String FAILED = """
            {"messages":[{"role":"user","content":"show b"},{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"read_file","arguments":"{}"}},{"id":"c2","type":"function","function":{"name":"list_files","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","content":"Error (FileNotFound): no b"},{"role":"tool","tool_call_id":"c2","content":"[]"},{"role":"assistant","content":"There is no b."}]}""";

    /** Three lines of an eval's results.jsonl: a passed and a failed attempt, and one the infrastructure ended. */
    static final String EVAL_PASSED = """
            {"task":"debug-off","attempt":1,"status":"graded","reward":1.0,"solved":true,"checks":[{"name":"contains config.json","kind":"contains","passed":true}],"trajectory":%s}"""
            .formatted(READ);
    static final String EVAL_FAILED = """
            {"task":"debug-off","attempt":2,"status":"graded","reward":0.0,"solved":false,"checks":[{"name":"contains config.json","kind":"contains","passed":false}],"trajectory":%s}"""
            .formatted(FAILED);
    static final String EVAL_INFRA = """
            {"task":"fix-median","attempt":1,"status":"infra_error","infra_error":{"cause":"llm","message":"the LLM could not be reached","tries":3}}""";

    @TempDir
    Path dir;

    TestServer s;

    @BeforeEach
    void start() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("run.jsonl"), READ + "\n\n" + FAILED + "\nnot json\n");
        Files.writeString(data.resolve("run.summary.json"), "{\"written\":2,\"failures\":{\"llm\":1},\"tool_errors\":{\"FileNotFound\":1}}");
        Files.writeString(data.resolve("notes.txt"), "not a dataset");
        Files.writeString(dir.resolve("secret.jsonl"), READ + "\n");
        Files.createSymbolicLink(data.resolve("linked.jsonl"), dir.resolve("secret.jsonl"));
        s = new TestServer(new MemoryStore(), b -> b, c -> c.withDatasets(data).withToken("t0k"));
    }

    @AfterEach
    void stop() {
        s.close();
    }

    TestServer.Response get(String path) {
        return s.send("GET", path, null, "authorization", "Bearer t0k");
    }

    TestServer.Response post(String path, String body) {
        return s.send("POST", path, body, "authorization", "Bearer t0k");
    }

    @Test
    void servesTheBundledFilesWithTypesAndRevalidation() {
        TestServer.Response page = s.get("/ui/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.raw().body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
        assertThat(page.header("content-security-policy")).contains("default-src 'self'");
        assertThat(page.header("cache-control")).isEqualTo("no-cache");
        assertThat(s.send("GET", "/ui/", null, "if-none-match", page.header("etag")).status()).isEqualTo(304);
        assertThat(s.get("/ui").raw().body()).isEqualTo(page.raw().body());
        for (String file : List.of("app.js", "ui.js", "sessions.js", "mocks.js", "datasets.js")) {
            TestServer.Response script = s.get("/ui/" + file);
            assertThat(script.status()).as(file).isEqualTo(200);
            assertThat(script.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        }
        assertThat(s.get("/ui/style.css").header("content-type")).isEqualTo("text/css; charset=utf-8");
        TestServer.Response missing = s.get("/ui/..%2FRoutes.class");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error_type").asString()).isEqualTo("NotFound");
    }

    @Test
    void theFilesArePublicButTheDataNeedsTheToken() {
        assertThat(s.get("/ui/app.js").status()).isEqualTo(200);
        for (String path : List.of("/sessions", "/datasets", "/datasets/run.jsonl/records", "/mock/list-tools")) {
            assertThat(s.get(path).status()).as(path).isEqualTo(401);
        }
        assertThat(get("/datasets").status()).isEqualTo(200);
    }

    @Test
    void listsOnlyThePlainJsonlFilesOfTheFolder() {
        JsonNode list = get("/datasets").json().path("datasets");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("name").asString()).isEqualTo("run.jsonl");
        assertThat(list.get(0).path("summary").asBoolean()).isTrue();
        for (String name : List.of("linked.jsonl", "notes.txt", "..%2Fsecret.jsonl", "%2Fetc%2Fpasswd", "run.summary.json")) {
            TestServer.Response refused = get("/datasets/" + name + "/records");
            assertThat(refused.status()).as(name).isEqualTo(404);
            assertThat(refused.json().path("error_type").asString()).isEqualTo("NotFound");
        }
    }

    @Test
    void listsOnlyFilesWhoseFirstJsonLineIsAConversation() throws Exception {
        Path data = dir.resolve("data");
        Files.writeString(data.resolve("topics.jsonl"), "{\"path\":[\"root\",\"files\"]}\n{\"path\":[\"root\",\"shell\"]}\n");
        Files.writeString(data.resolve("report.jsonl"), "{\"record\":1,\"status\":\"ok\",\"detail\":null}\n");
        Files.writeString(data.resolve("empty.jsonl"), "");
        Files.writeString(data.resolve("blank.jsonl"), "\n  \n\n");
        Files.writeString(data.resolve("scalars.jsonl"), "[1,2]\n" + READ + "\n");
        Files.writeString(data.resolve("roleless.jsonl"), "{\"messages\":[{\"content\":\"no role\"}]}\n");
        Files.writeString(data.resolve("no-messages.jsonl"), "{\"messages\":[]}\n");
        // a broken first line is skipped, as the index skips it; a first record past the read bound counts by its start
        Files.writeString(data.resolve("broken-first.jsonl"), "not json\n{\"messages\":\n" + FAILED + "\n");
        Files.writeString(data.resolve("big-first.jsonl"), "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(ConversationFiles.MAX_READ * 2)
                + "\"}]}\n");
        Files.writeString(data.resolve("messages-last.jsonl"), "{\"id\":7,\"tools\":[{\"name\":\"a\",\"parameters\":{\"type\":\"object\"}}],"
                + READ.substring(1) + "\n");

        List<String> listed = get("/datasets").json().path("datasets").valueStream().map(d -> d.path("name").asString()).toList();
        assertThat(listed).containsExactly("big-first.jsonl", "broken-first.jsonl", "messages-last.jsonl", "run.jsonl");
        for (String name : List.of("topics.jsonl", "report.jsonl", "empty.jsonl", "blank.jsonl", "scalars.jsonl", "roleless.jsonl", "no-messages.jsonl")) {
            assertThat(get("/datasets/" + name + "/records").status()).as(name).isEqualTo(404);
        }
        assertThat(get("/datasets/broken-first.jsonl/records").json().path("total").asInt()).isEqualTo(3);

        TestServer.Response topics = post("/datasets", Json.write(Json.object().put("name", "topics.jsonl").put("content", "{\"path\":[\"a\"]}\n")));
        assertThat(topics.status()).isEqualTo(400);
        assertThat(topics.json().path("error_type").asString()).isEqualTo("InvalidRequest");
        assertThat(topics.json().path("error").asString()).startsWith("not a dataset");
        assertThat(post("/datasets", Json.write(Json.object().put("name", "nothing.jsonl").put("content", ""))).status()).isEqualTo(400);
    }

    @Test
    void pagesAndFiltersRecordsByToolErrorAndText() {
        JsonNode all = get("/datasets/run.jsonl/records").json();
        assertThat(all.path("total").asInt()).isEqualTo(3);
        assertThat(all.path("records").valueStream().map(r -> r.path("line").asInt()).toList()).containsExactly(1, 3, 4);
        JsonNode first = all.path("records").get(0);
        assertThat(first.path("tools").get(0).asString()).isEqualTo("read_file");
        assertThat(first.path("status").asString()).isEqualTo("unverified");
        assertThat(first.path("record").path("messages").get(2).path("content").asString()).isEqualTo("alpha");
        assertThat(all.path("records").get(2).path("valid").asBoolean()).isFalse();
        assertThat(all.path("facets").path("tools").path("read_file").asInt()).isEqualTo(2);
        assertThat(all.path("facets").path("error_types").path("FileNotFound").asInt()).isEqualTo(1);

        JsonNode listing = get("/datasets/run.jsonl/records?tool=list_files").json();
        assertThat(listing.path("total").asInt()).isEqualTo(1);
        assertThat(listing.path("records").get(0).path("line").asInt()).isEqualTo(3);
        assertThat(listing.path("records").get(0).path("steps").asInt()).isEqualTo(1);
        assertThat(listing.path("records").get(0).path("calls").asInt()).isEqualTo(2);
        assertThat(get("/datasets/run.jsonl/records?error_type=FileNotFound").json().path("total").asInt()).isEqualTo(1);
        assertThat(get("/datasets/run.jsonl/records?q=ALPHA").json().path("records").get(0).path("line").asInt()).isEqualTo(1);
        assertThat(get("/datasets/run.jsonl/records?status=unverified&tool=read_file").json().path("total").asInt()).isEqualTo(2);
        JsonNode second = get("/datasets/run.jsonl/records?limit=1&offset=1").json();
        assertThat(second.path("records").get(0).path("line").asInt()).isEqualTo(3);
        assertThat(second.path("next_offset").asInt()).isEqualTo(2);
        assertThat(get("/datasets/run.jsonl/records?limit=1000").status()).isEqualTo(400);
    }

    @Test
    void aLineOverTheLimitIsAnInvalidRecordNeverHeldWhole() throws Exception {
        Files.writeString(dir.resolve("data/huge.jsonl"), READ + "\n{\"x\":\"" + "x".repeat(DatasetIndex.MAX_LINE_BYTES) + "\"}\n" + READ);
        JsonNode page = get("/datasets/huge.jsonl/records").json();
        assertThat(page.path("records").valueStream().map(r -> r.path("line").asInt() + ":" + r.path("valid").asBoolean()).toList())
                .containsExactly("1:true", "2:false", "3:true");
        assertThat(page.path("records").get(1).path("record").isNull()).isTrue();
        assertThat(page.path("records").get(2).path("tools").get(0).asString()).isEqualTo("read_file");
    }

    @Test
    void summarisesTheRunAndTheRecords() {
        JsonNode summary = get("/datasets/run.jsonl/summary").json();
        assertThat(summary.path("summary").path("failures").path("llm").asInt()).isEqualTo(1);
        assertThat(summary.path("per_sample").path("calls").path("1").asInt()).isEqualTo(1);
        assertThat(summary.path("per_sample").path("calls").path("2").asInt()).isEqualTo(1);
        assertThat(summary.path("records_with_error").path("FileNotFound").asInt()).isEqualTo(1);
    }

    /** `serve --datasets` on an eval's output folder: its attempts by outcome and task, its summary, never replayed. */
    @Test
    void anEvalsResultsAreListedWithTheirSummaryAndFilteredByOutcomeAndTask() throws Exception {
        Path out = Files.createDirectories(dir.resolve("eval-out"));
        Files.writeString(out.resolve("results.jsonl"), String.join("\n", EVAL_PASSED, EVAL_FAILED, EVAL_INFRA) + "\n");
        Files.writeString(out.resolve("eval.summary.json"), "{\"tasks\":2,\"per_task\":{\"debug-off\":{\"attempts\":2,\"passed\":1}},\"infra_error_causes\":{\"llm\":1}}");
        s.close();
        s = new TestServer(new MemoryStore(), b -> b, c -> c.withDatasets(out).withToken("t0k"));
        JsonNode listed = get("/datasets").json().path("datasets").valueStream().filter(d -> d.path("name").asString().equals("results.jsonl"))
                .findFirst().orElseThrow();
        assertThat(listed.path("summary").asBoolean()).isTrue();
        JsonNode all = get("/datasets/results.jsonl/records").json();
        assertThat(all.path("total").asInt()).isEqualTo(3);
        assertThat(all.at("/facets/statuses").toString()).isEqualTo("{\"failed\":1,\"infra_error\":1,\"passed\":1}");
        assertThat(all.at("/facets/tasks").toString()).isEqualTo("{\"debug-off\":2,\"fix-median\":1}");
        assertThat(all.at("/facets/error_types").toString()).isEqualTo("{\"FileNotFound\":1}");
        assertThat(all.path("records").get(0).path("task").asString()).isEqualTo("debug-off");
        assertThat(all.path("records").get(0).path("tools").get(0).asString()).isEqualTo("read_file");
        assertThat(all.path("records").get(0).at("/record/checks/0/passed").asBoolean()).isTrue();
        JsonNode failed = get("/datasets/results.jsonl/records?status=failed").json();
        assertThat(failed.path("records").valueStream().map(r -> r.path("line").asInt()).toList()).containsExactly(2);
        assertThat(get("/datasets/results.jsonl/records?task=fix-median").json().path("records").get(0).path("status").asString())
                .isEqualTo("infra_error");
        assertThat(get("/datasets/results.jsonl/summary").json().at("/summary/per_task/debug-off/passed").asInt()).isEqualTo(1);
        TestServer.Response verify = post("/datasets/results.jsonl/records/1/verify", null);
        assertThat(verify.status()).isEqualTo(400);
        assertThat(verify.json().path("error").asString()).contains("is an eval attempt, graded by its task's verifier");
    }

    @Test
    void keepsAnUploadAndOpensItByItsName() {
        TestServer.Response kept = post("/datasets", Json.write(Json.object().put("name", "mine.jsonl").put("content", FAILED + "\n")));
        assertThat(kept.status()).isEqualTo(201);
        assertThat(kept.json().path("name").asString()).isEqualTo("upload:mine.jsonl");
        assertThat(get("/datasets").json().path("datasets").get(1).path("name").asString()).isEqualTo("upload:mine.jsonl");
        assertThat(get("/datasets/upload:mine.jsonl/records").json().path("records").get(0).path("error_types").get(0).asString()).isEqualTo("FileNotFound");
        assertThat(get("/datasets/upload:mine.jsonl/summary").json().path("summary").isNull()).isTrue();
        for (String name : List.of("../x.jsonl", "", "a/b")) {
            TestServer.Response refused = post("/datasets", Json.write(Json.object().put("name", name).put("content", "{}")));
            assertThat(refused.status()).as(name).isEqualTo(400);
        }
    }

    @Test
    void verifyNeedsAReplayerAndAnExistingRecord() {
        assertThat(post("/datasets/run.jsonl/records/1/verify", null).json().path("error_type").asString()).isEqualTo("NotAllowed");
        assertThat(post("/datasets/run.jsonl/records/2/verify", null).status()).isEqualTo(404);
        assertThat(post("/datasets/run.jsonl/records/99999999999/verify", null).status()).isEqualTo(404);
    }

    @Test
    void verifyOfALineThatIsNoNumberIsTheClientsMistake() {
        for (String line : List.of("abc", "1.5", "-1", "%20")) {
            TestServer.Response refused = post("/datasets/run.jsonl/records/" + line + "/verify", null);
            assertThat(refused.status()).as(line).isEqualTo(400);
            assertThat(refused.json().path("error_type").asString()).as(line).isEqualTo("InvalidRequest");
            assertThat(refused.json().path("error").asString()).as(line).contains("line number");
        }
    }
}
