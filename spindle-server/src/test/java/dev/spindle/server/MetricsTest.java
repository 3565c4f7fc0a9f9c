package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.MemoryStore;
import dev.spindle.store.redis.RedisStore;
import dev.spindle.store.sqlite.SqliteStore;
import dev.spindle.testing.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: Prometheus text whose series count what the server really did. */
@Timeout(60)
class MetricsTest {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** One sample line: metric name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    @Test
    void countsToolCallsErrorsStatusesAndSessions() throws Exception {
        try (TestServer s = new TestServer(new MemoryStore(), b -> b, c -> c)) {
            assertThat(value(scrape(s, null).body(), "spindle_sessions_live", Map.of())).isEqualTo(0.0);
            assertThat(s.vfs("m1", "write_file", "{\"file_path\":\"a.txt\",\"content\":\"1\"}").status()).isEqualTo(200);
            assertThat(s.vfs("m2", "write_file", "{\"file_path\":\"b.txt\",\"content\":\"2\"}").status()).isEqualTo(200);
            assertThat(s.vfs("m1", "read_file", "{\"file_path\":\"missing.txt\"}").json().path("error_type").asString()).isEqualTo("FileNotFound");
            assertThat(s.vfs("m1", "read_file", "{}").json().path("error_type").asString()).isEqualTo("InvalidArguments");
            s.post("/execute", "{\"session_id\":\"m1\",\"tool\":\"no_such_tool_1\",\"args\":{}}");
            s.post("/execute", "{\"session_id\":\"m1\",\"tool\":\"no_such_tool_2\",\"args\":{}}");
            assertThat(s.get("/no/such/route/here").status()).isEqualTo(404);

            HttpResponse<String> response = scrape(s, null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            String text = response.body();
            assertThat(value(text, "spindle_tool_calls_total", Map.of("component", "vfs", "tool", "write_file", "outcome", "success"))).isEqualTo(2.0);
            assertThat(value(text, "spindle_tool_calls_total", Map.of("component", "vfs", "tool", "read_file", "outcome", "error"))).isEqualTo(2.0);
            assertThat(value(text, "spindle_tool_errors_total", Map.of("component", "vfs", "tool", "read_file", "error_type", "FileNotFound"))).isEqualTo(1.0);
            assertThat(value(text, "spindle_tool_errors_total", Map.of("component", "vfs", "tool", "read_file", "error_type", "InvalidArguments"))).isEqualTo(1.0);
            // client-chosen unknown names share one series, so they cannot grow the registry without bound
            assertThat(value(text, "spindle_tool_errors_total", Map.of("component", "unknown", "tool", "unknown", "error_type", "UnknownTool"))).isEqualTo(2.0);
            assertThat(text).doesNotContain("no_such_tool");

            List<Sample> buckets = samples(text, "spindle_tool_duration_seconds_bucket", Map.of("component", "vfs", "tool", "write_file"));
            assertThat(buckets).hasSizeGreaterThan(10);
            assertThat(buckets.getLast().labels()).containsEntry("le", "+Inf");
            assertThat(buckets.getLast().value()).isEqualTo(2.0);
            assertThat(value(text, "spindle_tool_duration_seconds_count", Map.of("component", "vfs", "tool", "write_file"))).isEqualTo(2.0);

            assertThat(value(text, "spindle_http_responses_total", Map.of("status", "404"))).isEqualTo(1.0);
            // 2 writes, 2 failed reads (a tool failure answers 200 in the Spin envelope), the first scrape
            assertThat(value(text, "spindle_http_responses_total", Map.of("status", "200"))).isGreaterThanOrEqualTo(5.0);
            assertThat(value(text, "spindle_sessions_live", Map.of())).isEqualTo(2.0);
            assertThat(value(text, "spindle_workers_pending", Map.of())).isGreaterThanOrEqualTo(0.0);

            assertThat(s.delete("/sessions/m2").status()).isEqualTo(200);
            assertThat(value(scrape(s, null).body(), "spindle_sessions_live", Map.of())).isEqualTo(1.0);
        }
    }

    /** Store operations, timed by kind of store, operation and outcome: blocking ones on SQLite, quick calls' on Redis. */
    @Test
    void timesStoreOperationsByOutcome(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(new SqliteStore(dir.resolve("state.db")), b -> b, c -> c)) {
            assertThat(s.vfs("m", "write_file", "{\"file_path\":\"a.txt\",\"content\":\"1\"}").status()).isEqualTo(200);
            assertThat(s.vfs("m", "read_file", "{\"file_path\":\"a.txt\"}").json().path("result").asString()).isEqualTo("1");
            String text = scrape(s, null).body();
            assertThat(value(text, "spindle_store_duration_seconds_count", Map.of("store", "sqlite", "operation", "write", "outcome", "ok")))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(value(text, "spindle_store_duration_seconds_count", Map.of("store", "sqlite", "operation", "read", "outcome", "ok")))
                    .isGreaterThanOrEqualTo(1.0);
        }
        try (RedisServer redis = RedisServer.start();
                TestServer s = new TestServer(new RedisStore(redis.uri()), b -> b, c -> c)) {
            assertThat(s.post("/sessions", "{\"session_id\":\"q\"}").status()).isEqualTo(201);
            for (int i = 0; i < 3; i++) {
                assertThat(s.vfs("q", "write_file", "{\"file_path\":\"a.txt\",\"content\":\"" + i + "\"}").json().path("success").asBoolean()).isTrue();
            }
            String text = scrape(s, null).body();
            assertThat(value(text, "spindle_store_duration_seconds_count", Map.of("store", "redis", "operation", "fetch", "outcome", "ok"))).isEqualTo(3.0);
            assertThat(value(text, "spindle_store_duration_seconds_count", Map.of("store", "redis", "operation", "commit", "outcome", "ok"))).isEqualTo(3.0);
            assertThat(samples(text, "spindle_store_duration_seconds_bucket", Map.of("store", "redis", "operation", "commit", "outcome", "ok")))
                    .hasSizeGreaterThan(10);
        }
    }

    @Test
    void theTokenProtectsMetrics() throws Exception {
        try (TestServer s = new TestServer(new MemoryStore(), b -> b, c -> c.withToken("sekrit"))) {
            HttpResponse<String> refused = scrape(s, null);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).doesNotContain("spindle_");
            HttpResponse<String> allowed = scrape(s, "sekrit");
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.body()).contains("spindle_http_responses_total{status=\"401\"} 1.0");
        }
    }

    private static HttpResponse<String> scrape(TestServer s, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(s.base + "/metrics")).GET();
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The one sample of {@code name} with exactly these labels. */
    private static double value(String text, String name, Map<String, String> labels) {
        List<Sample> found = samples(text, name, labels).stream().filter(x -> x.labels().equals(labels)).toList();
        assertThat(found).as("%s%s in%n%s", name, labels, text).hasSize(1);
        return found.getFirst().value();
    }

    /** The samples of {@code name} that carry at least these labels, in the order written. */
    private static List<Sample> samples(String text, String name, Map<String, String> labels) {
        return text.lines().filter(line -> !line.startsWith("#")).map(MetricsTest::parse)
                .filter(x -> x.name().equals(name) && x.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    private static Sample parse(String line) {
        Matcher m = SAMPLE.matcher(line);
        assertThat(m.matches()).as("a Prometheus sample line: %s", line).isTrue();
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.group(2) != null) {
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
        }
        return new Sample(m.group(1), labels, Double.parseDouble(m.group(3)));
    }
}
