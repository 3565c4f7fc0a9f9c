package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Json;
import dev.spindle.core.Operation;
import dev.spindle.core.Tool;
import dev.spindle.core.store.MemoryStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Client mistakes answer 4xx JSON, never 500, and never reach data they must not. */
@Timeout(60)
class ClientMistakesTest {
    @TempDir
    Path dir;

    static final String TOOLS = "[{\"name\":\"ping\",\"description\":\"p\",\"inputSchema\":{\"type\":\"object\"},\"mockResponse\":\"pong\"}]";

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite"})
    void sessionIdsWithControlCharactersAreRefusedOnEveryRoute(String store) {
        try (TestServer s = TestServer.start(store, dir)) {
            assertThat(s.post("/mock/load-schema", TOOLS).status()).isEqualTo(200);
            s.vfs("real", "write_file", "{\"file_path\":\"a\",\"content\":\"x\"}");
            for (String id : new String[] {"%00global", "a%0Ab", "%7F", "x%1B"}) {
                for (var response : List.of(s.delete("/session/" + id), s.delete("/vfs/session/" + id), s.delete("/sessions/" + id),
                        s.get("/sessions/" + id), s.get("/sessions/" + id + "/files"), s.get("/sessions/" + id + "/trace"),
                        s.post("/sessions/" + id + "/fork", "{}"), s.post("/sessions/real/fork", "{\"session_id\":\"" + json(id) + "\"}"),
                        s.post("/sessions", "{\"session_id\":\"" + json(id) + "\"}"),
                        s.post("/vfs/execute", "{\"session_id\":\"" + json(id) + "\",\"tool\":\"list_files\",\"args\":{}}"))) {
                    assertThat(response.status()).as(id + " " + response.raw().uri()).isEqualTo(400);
                    assertThat(response.json().path("error_type").asString()).isEqualTo("InvalidRequest");
                }
            }
            // the mock catalogue, kept in the global partition, is untouched
            assertThat(s.post("/mock/execute", "{\"name\":\"ping\",\"arguments\":{}}").raw().body()).isEqualTo("{\"result\":\"pong\"}");
            assertThat(s.get("/sessions/real/files").json().path("files").path("a").asString()).isEqualTo("x");
        }
    }

    /** The JSON text of a percent-encoded id, decoded: {@code %00global} becomes {@code \u0000global}. */
    private static String json(String encoded) {
        String decoded = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        return Json.write(decoded).replaceAll("^\"|\"$", "");
    }

    @Test
    void aMalformedQueryStringIs400OnEveryRoute() {
        try (TestServer s = TestServer.start("memory", dir)) {
            String envelope = "{\"session_id\":\"s\",\"tool\":\"list_files\",\"args\":{}}";
            List<String> targets = new ArrayList<>(List.of("POST /mock/load-schema?x=%zz", "GET /mock/list-tools?x=%zz", "POST /mock/clear?session_id=%4",
                    "GET /health?%zz", "POST /sessions?%", "GET /sessions?prefix=%ff", "GET /sessions?offset=0&prefix=%C3%28", "GET /components?%z1"));
            // every execute route, with a malformed escape in any parameter: an escape of two non-hex, one or the other
            // digit not hex, a lone %, and bytes that are not UTF-8 (a lone byte, a cut sequence, an encoded surrogate)
            for (String route : List.of("/execute", "/vfs/execute", "/mock/execute")) {
                for (String query : List.of("y=%zz", "y=%z1", "y=%1z", "session_id=%z1", "session_id=%", "a=1&y=%z1", "y=%ff", "session_id=%C3",
                        "y=%ed%a0%80", "y=%c0%ae")) {
                    targets.add("POST " + route + "?" + query);
                }
            }
            for (String target : targets) {
                var response = s.raw(target + " HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: "
                        + envelope.length() + "\r\n\r\n" + envelope);
                assertThat(response.status()).as(target).isEqualTo(400);
                assertThat(response.json().path("error_type").asString()).isEqualTo("InvalidRequest");
                assertThat(response.json().path("error").asString()).contains("query string");
            }
        }
    }

    @Test
    void escapedBytesThatAreNotUtf8AreRefusedInThePathRatherThanAllBecomingOneId() {
        try (TestServer s = TestServer.start("memory", dir)) {
            assertThat(s.post("/sessions", "{\"session_id\":\"\ufffd\"}").status()).isEqualTo(201);
            for (String path : List.of("/sessions/%ff", "/sessions/%fe", "/sessions/%ed%a0%80", "/sessions/%c0%ae", "/sessions/a%C3")) {
                var response = s.get(path);
                assertThat(response.status()).as(path).isEqualTo(400);
                assertThat(response.json().path("error_type").asString()).isEqualTo("InvalidRequest");
                assertThat(response.json().path("error").asString()).contains("request path");
            }
            assertThat(s.get("/sessions/%EF%BF%BD").json().path("session_id").asString()).as("U+FFFD itself, escaped as UTF-8").isEqualTo("\ufffd");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e300", "12345678901234567890123456", "-12345678901234567890123456", "1.5", "\"60\"", "true", "0", "2592001"})
    void aTtlOutOfRangeIs400(String ttl) {
        try (TestServer s = TestServer.start("memory", dir)) {
            var response = s.post("/sessions", "{\"session_id\":\"t\",\"ttl_seconds\":" + ttl + "}");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().path("error_type").asString()).isEqualTo("InvalidRequest");
            assertThat(response.json().path("error").asString()).contains("ttl_seconds");
            assertThat(s.get("/sessions/t").status()).isEqualTo(404);
        }
    }

    /** A component whose operation has a bug. */
    private static final Component BROKEN = new Component() {
        public String name() {
            return "broken";
        }

        public String description() {
            return "fails";
        }

        public List<Tool> tools() {
            return List.of();
        }

        public Set<Capability> capabilities() {
            return Set.of();
        }

        public Map<String, Operation> operations() {
            return Map.of("boom", (body, params) -> {
                throw new IllegalStateException("secret internals");
            });
        }
    };

    @Test
    void aBugIs500InternalWithoutInternals() {
        try (TestServer s = new TestServer(new MemoryStore(), b -> b.withComponent(BROKEN), c -> c)) {
            var response = s.post("/broken/boom", "{}");
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.json().path("error_type").asString()).isEqualTo("Internal");
            assertThat(response.raw().body()).doesNotContain("secret").doesNotContain("IllegalState");
        }
    }
}
