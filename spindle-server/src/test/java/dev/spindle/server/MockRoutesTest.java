package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.testing.EverythingServer;
import dev.spindle.testing.LoopbackHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The mock's HTTP routes, with the reference's wire shapes, and the example mock-data files. */
@Timeout(60)
class MockRoutesTest {
    static final Path EXAMPLES = Path.of("..", "examples", "mock-data");

    @TempDir
    Path dir;

    TestServer s;

    @BeforeEach
    void start() {
        s = TestServer.start("sqlite", dir);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    String example(String name) throws Exception {
        return Files.readString(EXAMPLES.resolve(name));
    }

    @Test
    void theReferenceEndpointsAnswerTheReferenceShapes() throws Exception {
        var loaded = s.post("/mock/load-schema", example("payments.tools.json"));
        assertThat(loaded.status()).isEqualTo(200);
        assertThat(loaded.raw().body()).isEqualTo("{\"loaded\":4,\"tools\":[\"get_customer\",\"create_payment\",\"list_invoices\",\"refund_payment\"]}");
        var listed = s.get("/mock/list-tools");
        assertThat(listed.json().path("tools")).hasSize(4);
        assertThat(listed.json().path("tools").get(0).propertyNames()).containsExactly("name", "description", "inputSchema");
        assertThat(s.post("/mock/update-response", "{\"name\":\"get_customer\",\"mockResponse\":{\"id\":\"{{customer_id}}\"}}").raw().body())
                .isEqualTo("{\"updated\":\"get_customer\"}");
        assertThat(s.post("/mock/add-fixture", "{\"name\":\"get_customer\",\"match\":{\"customer_id\":\"cus_x\"},\"response\":{\"vip\":true}}").raw().body())
                .isEqualTo("{\"tool\":\"get_customer\",\"fixture_key\":\"customer_id=cus_x\",\"total_fixtures\":1}");
        var byName = s.post("/mock/execute", "{\"name\":\"get_customer\",\"arguments\":{\"customer_id\":\"cus_x\"}}");
        assertThat(byName.raw().body()).isEqualTo("{\"result\":{\"vip\":true}}");
        var envelope = s.post("/mock/execute", "{\"session_id\":\"s\",\"tool\":\"get_customer\",\"args\":{\"customer_id\":\"cus_y\"}}");
        assertThat(envelope.raw().body()).isEqualTo("{\"success\":true,\"result\":\"{\\\"id\\\":\\\"cus_y\\\"}\"}");
        assertThat(s.send("DELETE", "/mock/clear", null).raw().body()).isEqualTo("{\"cleared\":true}");
        assertThat(s.get("/mock/list-tools").json().path("tools")).isEmpty();
    }

    @Test
    void failuresAreNon200JsonInTheNameShapeAnd200InTheEnvelope() throws Exception {
        var before = s.post("/mock/execute", "{\"name\":\"get_customer\",\"arguments\":{}}");
        assertThat(before.status()).isEqualTo(400);
        assertThat(before.json().path("error_type").asString()).isEqualTo("UnknownTool");
        assertThat(s.post("/mock/update-response", "{\"name\":\"x\",\"mockResponse\":1}").json().path("error").asString()).startsWith("No tools loaded");
        s.post("/mock/load-schema", example("payments.tools.json"));
        var invalid = s.post("/mock/execute", "{\"name\":\"create_payment\",\"arguments\":{\"customer_id\":\"c\",\"amount_cents\":5,\"currency\":\"yen\"}}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("error_type").asString()).isEqualTo("InvalidArguments");
        assertThat(invalid.json().path("error").asString()).contains("currency");
        var invalidEnvelope = s.post("/mock/execute", "{\"session_id\":\"s\",\"tool\":\"create_payment\",\"args\":{\"customer_id\":\"c\"}}");
        assertThat(invalidEnvelope.status()).isEqualTo(200);
        assertThat(invalidEnvelope.json().path("result").asString()).startsWith("Missing required argument");
        var unknownTool = s.post("/mock/update-response", "{\"name\":\"nope\",\"mockResponse\":1}");
        assertThat(unknownTool.status()).isEqualTo(404);
        assertThat(unknownTool.json().path("error").asString()).isEqualTo("Tool not found: nope");
        for (String body : List.of("{oops", "[1,2]", "", "{\"tools\": 5}", "\"just text\"")) {
            var response = s.post("/mock/load-schema", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().path("error_type").asString()).as(body).isEqualTo("InvalidRequest");
        }
        for (String op : List.of("update-response", "add-fixture", "load-data")) {
            assertThat(s.post("/mock/" + op, "{not json").status()).as(op).isEqualTo(400);
        }
        var unknownOp = s.post("/mock/frobnicate", "{}");
        assertThat(unknownOp.status()).isEqualTo(404);
        assertThat(unknownOp.json().path("error").asString()).contains("load-schema");
        assertThat(s.post("/vfs/frobnicate", "{}").status()).isEqualTo(404);
        assertThat(s.get("/health").status()).isEqualTo(200);
    }

    @Test
    void pullsARealMcpServerThenAnswersItsToolsFromFixtures() throws Exception {
        try (EverythingServer everything = EverythingServer.startHttp()) {
            var pulled = s.post("/mock/pull", "{\"url\":\"" + everything.url() + "\",\"headers\":{\"X-Trace\":\"t1\"}}");
            assertThat(pulled.status()).as(pulled.raw().body()).isEqualTo(200);
            assertThat(pulled.json().path("loaded").asInt()).isGreaterThanOrEqualTo(8);
            assertThat(pulled.json().path("tools").toString()).contains("\"echo\"");
        }
        var schema = s.get("/mock/list-tools").json().path("tools");
        assertThat(schema.toString()).contains("\"message\"");
        s.post("/mock/add-fixture", "{\"name\":\"echo\",\"match\":{\"message\":\"ping\"},\"response\":{\"content\":[{\"type\":\"text\",\"text\":\"Echo: ping\"}]}}");
        var echoed = s.post("/mock/execute", "{\"name\":\"echo\",\"arguments\":{\"message\":\"ping\"}}");
        assertThat(echoed.json().path("result").path("content").get(0).path("text").asString()).isEqualTo("Echo: ping");
        var invalid = s.post("/mock/execute", "{\"name\":\"echo\",\"arguments\":{}}");
        assertThat(invalid.json().path("error").asString()).isEqualTo("Missing required argument: message");
    }

    @Test
    void aFailedPullIs502NamingTheServer() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var failed = s.post("/mock/pull", "{\"url\":\"http://127.0.0.1:" + port + "/mcp\"}");
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.json().path("error_type").asString()).isEqualTo("APIError");
        assertThat(failed.json().path("error").asString()).contains("http://127.0.0.1:" + port + "/mcp").contains("connection refused")
                .doesNotContain("Exception");
        assertThat(s.post("/mock/pull", "{\"url\":\"ftp://x\"}").status()).isEqualTo(400);
        assertThat(s.post("/mock/pull", "{}").status()).isEqualTo(400);
    }

    @Test
    void aPullFromAPlainWebServerIs502SayingWhatItAnswered() throws Exception {
        try (LoopbackHttp web = LoopbackHttp.answering("/", 404, "text/html", "<html>It works!</html>")) {
            String url = web.url + "mcp";
            var failed = s.post("/mock/pull", "{\"url\":\"" + url + "\"}");
            assertThat(failed.status()).isEqualTo(502);
            assertThat(failed.json().path("error_type").asString()).isEqualTo("APIError");
            assertThat(failed.json().path("error").asString()).contains(url).contains("404").doesNotContain("Exception");
        }
    }

    /** Refused before any connection: nothing is ever sent to these addresses. */
    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1:3001/mcp", "http://192.168.1.1/mcp", "http://[::1]:3001/mcp"})
    void aPullToAPrivateNetworkIs403NamingTheHostAndHowToAllowIt(String url) {
        var refused = s.post("/mock/pull", "{\"url\":\"" + url + "\"}");
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
        assertThat(refused.json().path("error_type").asString()).isEqualTo("NotAllowed");
        String host = java.net.URI.create(url).getHost();
        assertThat(refused.json().path("error").asString()).contains("Outbound request to http://" + host)
                .contains(host + " is a").contains("serve --mock-outbound");
    }

    @Test
    void componentsShowWhatEachComponentWasGranted() {
        JsonNode details = s.get("/components").json().path("details");
        assertThat(details.get(0).path("name").asString()).isEqualTo("vfs");
        assertThat(details.get(0).path("capabilities").toString()).isEqualTo("{\"session_files\":{}}");
        assertThat(details.get(1).path("name").asString()).isEqualTo("mock");
        assertThat(details.get(1).path("capabilities").toString()).isEqualTo(
                "{\"key_value\":{},\"outbound_http\":{\"allowed_hosts\":[\"*://*:*\",\"*://127.0.0.1:*\",\"*://localhost:*\"]}}");
        try (var client = dev.spindle.client.SpindleClient.connect(s.base + "/")) {
            assertThat(client.components().get(1).capabilities().path("outbound_http").path("allowed_hosts").size()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"url\":\"http://a b/mcp\"}", "{\"url\":\"http:///mcp\"}", "{\"url\":\"http://[::1/mcp\"}",
            "{\"url\":\"http://127.0.0.1:1/mcp\",\"headers\":{\"Host\":\"x\"}}",
            "{\"url\":\"http://127.0.0.1:1/mcp\",\"headers\":{\"X-A\":\"a\\r\\nX-B: b\"}}",
            "{\"url\":\"http://127.0.0.1:1/mcp\",\"headers\":{\"bad name\":\"x\"}}"})
    void aPullWithABadUrlOrHeaderIs400(String body) {
        var refused = s.post("/mock/pull", body);
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
        assertThat(refused.json().path("error_type").asString()).isEqualTo("InvalidRequest");
        assertThat(refused.json().path("error").asString()).doesNotContain("Exception");
    }

    @Test
    void anAmplifyingTemplateAnswers422QuicklyAndTheServerStaysUp() {
        s.post("/mock/load-schema", "[{\"name\":\"amp\",\"mockResponse\":\"" + "{{x}}".repeat(200_000) + "\"}]");
        long start = System.nanoTime();
        var amplified = s.post("/mock/execute", "{\"name\":\"amp\",\"arguments\":{\"x\":\"" + "x".repeat(20_000) + "\"}}");
        assertThat(amplified.status()).isEqualTo(422);
        assertThat(amplified.json().path("error_type").asString()).isEqualTo("QuotaExceeded");
        assertThat((System.nanoTime() - start) / 1_000_000).as("answered within 5 s instead of hanging").isLessThan(5_000);
        var tooLarge = s.post("/mock/update-response", "{\"name\":\"amp\",\"mockResponse\":\"" + "y".repeat(1_100_000) + "\"}");
        assertThat(tooLarge.status()).isEqualTo(400);
        assertThat(tooLarge.json().path("error_type").asString()).isEqualTo("InvalidArguments");
        assertThat(s.get("/health").status()).isEqualTo(200);
    }

    @Test
    void yamlSchemasLoadOverHttp() throws Exception {
        var loaded = s.send("POST", "/mock/load-schema", example("helpdesk.tools.yaml"), "content-type", "application/yaml");
        assertThat(loaded.json().path("tools").toString()).isEqualTo("[\"search_tickets\",\"get_ticket\",\"update_ticket\"]");
    }

    @Test
    void sessionOverlaysOverHttpGoAwayWithTheSession() throws Exception {
        s.post("/mock/load-schema", example("payments.tools.json"));
        s.send("POST", "/mock/update-response", "{\"name\":\"get_customer\",\"mockResponse\":\"overlay\"}", "x-session-id", "sample-1");
        assertThat(s.post("/mock/execute", "{\"name\":\"get_customer\",\"arguments\":{\"customer_id\":\"c\"},\"session_id\":\"sample-1\"}").json().path("result").asString())
                .isEqualTo("overlay");
        assertThat(s.post("/mock/execute", "{\"name\":\"get_customer\",\"arguments\":{\"customer_id\":\"c\"},\"session_id\":\"sample-2\"}").json().path("result").path("mock_result").asString())
                .isEqualTo("Successfully executed get_customer");
        assertThat(s.get("/sessions/sample-1").status()).isEqualTo(200);
        s.delete("/session/sample-1");
        assertThat(s.post("/mock/execute", "{\"name\":\"get_customer\",\"arguments\":{\"customer_id\":\"c\"},\"session_id\":\"sample-1\"}").json().path("result").path("status").asString())
                .isEqualTo("success");
    }

    @Test
    void theCatalogueSurvivesARestart() throws Exception {
        s.post("/mock/load-schema", example("payments.tools.json"));
        s.post("/mock/load-data", example("payments.mock-data.json"));
        s.close();
        s = new TestServer(TestServer.store("sqlite", dir), b -> b, c -> c);
        assertThat(s.get("/mock/list-tools").json().path("tools")).hasSize(4);
        assertThat(s.post("/mock/execute", "{\"name\":\"get_customer\",\"arguments\":{\"customer_id\":\"cus_ada\"}}").json().path("result").path("name").asString())
                .isEqualTo("Ada Lovelace");
    }

    /** Every fixture of the example mock-data files is reachable, including values with commas, arrays, booleans, objects. */
    @ParameterizedTest
    @ValueSource(strings = {"payments", "helpdesk"})
    void everyExampleFixtureIsReachable(String name) throws Exception {
        String tools = Files.exists(EXAMPLES.resolve(name + ".tools.json")) ? example(name + ".tools.json") : example(name + ".tools.yaml");
        assertThat(s.post("/mock/load-schema", tools).status()).isEqualTo(200);
        JsonNode data = Json.parse(example(name + ".mock-data.json"));
        var loaded = s.post("/mock/load-data", Json.write(data));
        assertThat(loaded.status()).isEqualTo(200);
        int fixtures = 0;
        JsonNode schemas = s.get("/mock/list-tools").json().path("tools");
        for (Map.Entry<String, JsonNode> tool : data.path("fixtures").properties()) {
            JsonNode properties = findSchema(schemas, tool.getKey()).path("properties");
            for (JsonNode fixture : tool.getValue()) {
                fixtures++;
                ObjectNode args = ((ObjectNode) fixture.path("match")).deepCopy();
                // a text fixture value ("52") is called with the type the schema asks for (52)
                args.properties().forEach(e -> {
                    if (e.getValue().isString() && properties.path(e.getKey()).path("type").asString("").equals("integer")) {
                        e.setValue(Json.parse(e.getValue().stringValue()));
                    }
                });
                ObjectNode call = Json.object().put("name", tool.getKey());
                call.set("arguments", args);
                var response = s.post("/mock/execute", Json.write(call));
                JsonNode expected = fixture.path("response");
                if (expected.has("error_type")) {
                    assertThat(response.status()).as(fixture.toString()).isEqualTo(ErrorType.parse(expected.path("error_type").asString()).orElseThrow().httpStatus());
                    assertThat(response.json().path("error").asString()).isEqualTo(expected.path("error").asString());
                } else {
                    assertThat(response.status()).as(fixture.toString()).isEqualTo(200);
                    assertThat(response.json().path("result")).as(fixture.toString()).isEqualTo(expected);
                }
            }
        }
        assertThat(loaded.json().path("fixtures").asInt()).isEqualTo(fixtures);
        assertThat(fixtures).isGreaterThanOrEqualTo(7);
    }

    private static JsonNode findSchema(JsonNode tools, String name) {
        for (JsonNode tool : tools) {
            if (tool.path("name").asString().equals(name)) {
                return tool.path("inputSchema");
            }
        }
        throw new AssertionError("no tool " + name);
    }
}
