package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the route table decides over real HTTP: 405 with the path's methods in Allow, 404, and which route a path takes. */
@Timeout(60)
class RouteTableTest {
    @TempDir
    Path dir;

    TestServer s;

    @BeforeEach
    void start() {
        s = TestServer.start("memory", dir);
    }

    @AfterEach
    void stop() {
        s.close();
    }

    @Test
    void aWrongMethodAnswers405WithEveryMethodOfThatPath() {
        Map<String, String> allowed = Map.ofEntries(
                Map.entry("PUT /sessions/s1", "GET, HEAD, DELETE"),
                Map.entry("POST /sessions/s1", "GET, HEAD, DELETE"),
                Map.entry("DELETE /sessions", "POST, GET, HEAD"),
                Map.entry("POST /health", "GET, HEAD"),
                Map.entry("DELETE /components", "GET, HEAD"),
                Map.entry("GET /execute", "POST"),
                Map.entry("GET /session/s1", "DELETE"),
                Map.entry("GET /sessions/s1/fork", "POST"),
                Map.entry("POST /sessions/s1/files", "GET, HEAD"),
                Map.entry("DELETE /sessions/s1/trace", "GET, HEAD"),
                Map.entry("POST /vfs/health", "GET, HEAD"),
                Map.entry("PUT /vfs/components", "GET, HEAD"),
                Map.entry("GET /vfs/execute", "POST"),
                Map.entry("GET /vfs/session/s1", "DELETE"),
                Map.entry("GET /mcp", "POST, DELETE"));
        allowed.forEach((request, allow) -> {
            String[] parts = request.split(" ");
            var response = s.send(parts[0], parts[1], null);
            assertThat(response.status()).as(request).isEqualTo(405);
            assertThat(response.header("allow")).as(request).isEqualTo(allow);
            if (!parts[1].equals("/mcp")) { // /mcp answers JSON-RPC errors
                assertThat(response.json().path("error_type").asString()).as(request).isEqualTo("MethodNotAllowed");
                assertThat(response.json().path("error").asString()).as(request).contains("use " + allow);
            }
        });
    }

    @Test
    void headIsAnsweredWhereverGetIsWithTheHeadersAndWithoutTheBody() {
        assertThat(s.post("/sessions", "{\"session_id\":\"s1\",\"files\":{\"a\":\"1\"}}").status()).isEqualTo(201);
        for (String path : List.of("/ui/", "/ui", "/ui/app.js", "/health", "/vfs/health", "/components", "/sessions", "/sessions/s1",
                "/sessions/s1/files", "/schema", "/metrics", "/sessions/none", "/ui/none.js")) {
            var get = s.get(path);
            var head = s.send("HEAD", path, null);
            assertThat(head.status()).as(path).isEqualTo(get.status());
            assertThat(head.raw().body()).as(path).isEmpty();
            assertThat(head.header("content-type")).as(path).isEqualTo(get.header("content-type"));
            if (path.startsWith("/ui") && get.status() == 200) { // the console's fixed bytes: the same length
                assertThat(head.header("content-length")).as(path).isEqualTo(String.valueOf(get.raw().body().getBytes(StandardCharsets.UTF_8).length));
            }
        }
        var wrong = s.send("HEAD", "/execute", null);
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.header("allow")).isEqualTo("POST");
    }

    @Test
    void literalSegmentsWinOverComponentRoutes() {
        // /sessions/{id} and /session/{id}, not /{component}/health or /{component}/execute
        assertThat(s.post("/sessions", "{\"session_id\":\"health\",\"files\":{\"a\":\"1\"}}").status()).isEqualTo(201);
        var session = s.get("/sessions/health");
        assertThat(session.status()).isEqualTo(200);
        assertThat(session.json().path("session_id").asString()).isEqualTo("health");
        assertThat(s.delete("/session/health").json().path("deleted_files").asInt()).isEqualTo(1);
        // /sessions/{id}/... has no "session" route: not taken for /{component}/session/{id}
        var notFound = s.delete("/sessions/session/x");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().path("error_type").asString()).isEqualTo("NotFound");
        // a component's operation takes any method; an unknown component is named
        assertThat(s.send("PUT", "/mock/list-tools", null).status()).isEqualTo(200);
        var unknown = s.get("/nocomponent/list-tools");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error_type").asString()).isEqualTo("UnknownComponent");
        assertThat(s.delete("/nocomponent/session/x").json().path("error_type").asString()).isEqualTo("UnknownComponent");
        for (String path : new String[] {"/", "/nothing", "/sessions/x/y", "/a/b/c/d", "/vfs/x/y"}) {
            var missing = s.get(path);
            assertThat(missing.status()).as(path).isEqualTo(404);
            assertThat(missing.json().path("error").asString()).as(path).isEqualTo("Not found: GET " + path);
        }
    }

    @Test
    void aTableWhereTwoRoutesTakeTheSameRequestIsRefused() {
        Route byId = Route.route(HttpMethod.GET, "/things/{id}", Route.Placement.EVENT_LOOP, ex -> {});
        assertThatThrownBy(() -> new Routes(List.of(byId, Route.route(HttpMethod.GET, "/things/{name}", Route.Placement.WORKER, ex -> {}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/things/{name}");
        assertThatThrownBy(() -> new Routes(List.of(byId, Route.route(Route.ANY_METHOD, "/things/{id}", Route.Placement.WORKER, ex -> {}))))
                .isInstanceOf(IllegalArgumentException.class);
        Routes distinct = new Routes(List.of(byId, Route.route(HttpMethod.DELETE, "/things/{name}", Route.Placement.WORKER, ex -> {})));
        assertThat(distinct.match(HttpMethod.GET, List.of("things", "7"))).isSameAs(byId);
        assertThat(distinct.match(HttpMethod.DELETE, List.of("things", "7")).placement).isEqualTo(Route.Placement.WORKER);
    }
}
