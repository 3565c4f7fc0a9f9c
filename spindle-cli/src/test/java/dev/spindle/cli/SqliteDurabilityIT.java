package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A write the server acknowledged is on disk: a child server on SQLite is killed with SIGKILL in the
 * middle of a concurrent write load, restarted on the same file, and must give back every acknowledged
 * write with its exact content.
 */
@Timeout(180)
class SqliteDurabilityIT {
    private static final int WRITERS = 8;

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        String store = "sqlite:" + workDir.resolve("state.db");
        Map<String, Map<String, String>> acknowledged = new ConcurrentHashMap<>(); // session -> path -> content
        List<Thread> writers = new ArrayList<>();
        AtomicBoolean killed = new AtomicBoolean();
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        try (ChildServer first = ChildServer.start(workDir, "--store", store)) {
            for (int w = 0; w < WRITERS; w++) {
                String session = "writer-" + w;
                acknowledged.put(session, new ConcurrentHashMap<>());
                writers.add(Thread.ofPlatform().start(() -> write(first.base, session, acknowledged.get(session), killed, failures)));
            }
            // kill once the load is well under way (not after a fixed time: a loaded machine starts slowly)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledgedWrites(acknowledged) < WRITERS * 20 && failures.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            killed.set(true);
            first.kill(); // writes are in flight: the writers stop on the broken connections
        }
        for (Thread writer : writers) {
            writer.join(60_000);
        }
        assertThat(failures).as("writes that failed while the server was up").isEmpty();
        int total = acknowledgedWrites(acknowledged);
        assertThat(total).as("the load wrote something before the kill").isGreaterThan(WRITERS * 5);

        try (ChildServer second = ChildServer.start(workDir, "--store", store)) {
            for (var session : acknowledged.entrySet()) {
                JsonNode files = get(second.base + "/sessions/" + session.getKey() + "/files").path("files");
                Map<String, String> found = new HashMap<>();
                files.properties().forEach(file -> found.put(file.getKey(), file.getValue().stringValue()));
                assertThat(found).as("session %s after SIGKILL and restart", session.getKey()).containsAllEntriesOf(session.getValue());
            }
        }
        System.out.println("durability: " + total + " acknowledged writes by " + WRITERS + " writers, all found after SIGKILL");
    }

    private static int acknowledgedWrites(Map<String, Map<String, String>> acknowledged) {
        return acknowledged.values().stream().mapToInt(Map::size).sum();
    }

    /** Distinct files with distinct contents, each recorded once the server answered success. */
    private void write(String base, String session, Map<String, String> acknowledged, AtomicBoolean killed, Queue<String> failures) {
        for (int n = 0; !killed.get(); n++) {
            String path = "dir" + (n % 10) + "/file-" + n + ".txt";
            String content = session + " " + n + " " + UUID.randomUUID() + " ünïcødé ✓";
            String body = Json.write(Json.object().put("session_id", session).put("tool", "write_file")
                    .set("args", Json.object().put("file_path", path).put("content", content)));
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/vfs/execute"))
                        .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && Json.parse(response.body()).path("success").asBoolean()) {
                    acknowledged.put(path, content);
                } else if (!killed.get()) {
                    failures.add(session + " " + path + ": " + response.statusCode() + " " + response.body());
                }
            } catch (IOException broken) {
                if (!killed.get()) {
                    failures.add(session + " " + path + ": " + broken);
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @AfterEach
    void closeClient() {
        http.close();
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.parse(response.body());
    }
}
