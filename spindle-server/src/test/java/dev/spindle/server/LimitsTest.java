package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.MemoryStore;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Body limits, bearer tokens, racing writers and idle expiry, over real HTTP. */
@Timeout(60)
class LimitsTest {
    @TempDir
    Path dir;

    @Test
    void bodiesOverTheLimitAre413JsonAndTheServerKeepsServing() throws Exception {
        try (TestServer s = new TestServer(new MemoryStore(), b -> b, c -> c.withMaxBodyBytes(1024))) {
            String big = "{\"session_id\":\"s\",\"tool\":\"write_file\",\"args\":{\"file_path\":\"a\",\"content\":\"" + "x".repeat(2000) + "\"}}";
            var declared = s.post("/vfs/execute", big);
            assertThat(declared.status()).isEqualTo(413);
            assertThat(declared.json().path("error_type").asString()).isEqualTo("PayloadTooLarge");
            // Chunked: no Content-Length, so the limit is enforced while reading.
            HttpRequest chunked = HttpRequest.newBuilder(URI.create(s.base + "/vfs/execute")).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build();
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                HttpResponse<String> response = http.send(chunked, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(413);
                assertThat(response.body()).contains("PayloadTooLarge");
            }
            assertThat(s.vfs("s", "read_file", "{\"file_path\":\"a\"}").json().path("error_type").asString()).isEqualTo("FileNotFound");
            assertThat(s.vfs("s", "write_file", "{\"file_path\":\"a\",\"content\":\"small\"}").json().path("success").asBoolean()).isTrue();
        }
    }

    @Test
    void quotasAnswerQuotaExceededInBothShapesAndKeepNothing() {
        try (TestServer s = new TestServer(new MemoryStore(), b -> b.withQuotas(new dev.spindle.core.files.Quotas(8, 2, 12)), c -> c)) {
            var tooBig = s.vfs("q", "write_file", "{\"file_path\":\"a\",\"content\":\"123456789\"}");
            assertThat(tooBig.status()).isEqualTo(200);
            assertThat(tooBig.json().path("error_type").asString()).isEqualTo("QuotaExceeded");
            assertThat(tooBig.json().path("result").asString()).contains("limit per file is 8 bytes");
            s.vfs("q", "write_file", "{\"file_path\":\"a\",\"content\":\"12345678\"}");
            var total = s.post("/vfs/execute", "{\"name\":\"write_file\",\"arguments\":{\"file_path\":\"b\",\"content\":\"12345\"},\"session_id\":\"q\"}");
            assertThat(total.status()).isEqualTo(422);
            assertThat(total.json().path("error_type").asString()).isEqualTo("QuotaExceeded");
            s.vfs("q", "write_file", "{\"file_path\":\"b\",\"content\":\"1\"}");
            var count = s.vfs("q", "write_file", "{\"file_path\":\"c\",\"content\":\"\"}");
            assertThat(count.json().path("result").asString()).contains("the limit is 2");
            var seeded = s.post("/sessions", "{\"session_id\":\"q2\",\"files\":{\"x\":\"123456789\"}}");
            assertThat(seeded.status()).isEqualTo(422);
            assertThat(s.get("/sessions/q2").status()).isEqualTo(404);
            assertThat(s.get("/sessions/q/files").json().path("files").toString()).isEqualTo("{\"a\":\"12345678\",\"b\":\"1\"}");
        }
    }

    @Test
    void aTokenGuardsEveryRouteButHealth() {
        try (TestServer s = new TestServer(new MemoryStore(), b -> b, c -> c.withToken("s3cret"))) {
            for (var response : List.of(s.get("/components"), s.vfs("x", "list_files", "{}"), s.delete("/session/x"), s.post("/sessions", "{}"),
                    s.get("/sessions/x"), s.get("/sessions/health"), s.get("/nope"),
                    s.send("GET", "/components", null, "authorization", "Bearer wrong"),
                    s.send("GET", "/components", null, "authorization", "s3cret"))) {
                assertThat(response.status()).isEqualTo(401);
                assertThat(response.json().path("error_type").asString()).isEqualTo("Unauthorized");
                assertThat(response.header("www-authenticate")).isEqualTo("Bearer");
            }
            assertThat(s.get("/health").status()).isEqualTo(200);
            assertThat(s.get("/vfs/health").status()).isEqualTo(200);
            var authorized = s.send("POST", "/vfs/execute", "{\"session_id\":\"x\",\"tool\":\"list_files\",\"args\":{}}", "authorization", "Bearer s3cret");
            assertThat(authorized.status()).isEqualTo(200);
            assertThat(authorized.json().path("result").asString()).isEqualTo("[]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite"})
    void racingWritersOfOneSessionLoseNothing(String store) throws Exception {
        try (TestServer s = new TestServer(TestServer.store(store, dir), b -> b, c -> c)) {
            int writers = 16;
            int each = 25;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            var append = s.vfs("race", "append_file", "{\"file_path\":\"log.txt\",\"content\":\"w" + writer + "-" + i + "\\n\"}");
                            assertThat(append.json().path("success").asBoolean()).isTrue();
                            var write = s.vfs("race", "write_file", "{\"file_path\":\"w" + writer + "/f" + i + "\",\"content\":\"x\"}");
                            assertThat(write.json().path("success").asBoolean()).isTrue();
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            String log = s.vfs("race", "read_file", "{\"file_path\":\"log.txt\"}").json().path("result").asString();
            List<String> lines = List.of(log.split("\n"));
            assertThat(lines).hasSize(writers * each).doesNotHaveDuplicates();
            for (int w = 0; w < writers; w++) {
                for (int i = 0; i < each; i++) {
                    assertThat(lines).contains("w" + w + "-" + i);
                }
            }
            assertThat(s.get("/sessions/race").json().path("files").asInt()).isEqualTo(writers * each + 1);
        }
    }

    @Test
    void idleSessionsExpire() throws Exception {
        try (TestServer s = new TestServer(new MemoryStore(), b -> b.withSessionTtl(Duration.ofMillis(500)).withSweepInterval(Duration.ofMillis(50)), c -> c)) {
            s.vfs("idle", "write_file", "{\"file_path\":\"a\",\"content\":\"1\"}");
            assertThat(s.get("/sessions/idle").status()).isEqualTo(200);
            long deadline = System.currentTimeMillis() + 5000;
            while (s.get("/sessions/idle").status() == 200 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(s.get("/sessions/idle").status()).isEqualTo(404);
            assertThat(s.vfs("idle", "read_file", "{\"file_path\":\"a\"}").json().path("error_type").asString()).isEqualTo("FileNotFound");
        }
    }
}
