package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.SessionSpec;
import java.nio.file.Path;
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

/** {@code GET /sessions}: paging, prefix filter, order by last use or id, files and bytes per session. */
@ParameterizedClass(name = "{0} store")
@ValueSource(strings = {"memory", "sqlite"})
@Timeout(120)
class SessionListTest {
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
