package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Schema;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.vfs.VfsComponent;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** What keeps the server usable: slow tools off the event loop, bounded queues and connections, browsers kept out. */
@Timeout(60)
class ServerGuardsTest {
    @TempDir
    Path dir;

    /** A tool that answers the thread it ran on; with latches, it says it has started then waits for {@code gate}. */
    record ThreadTool(String name, Workload workload, CountDownLatch started, CountDownLatch gate) implements Tool {
        public ToolDefinition definition() {
            return new ToolDefinition(name, "answers its thread", Schema.object().build(), null);
        }

        public JsonNode call(ToolContext context, ObjectNode arguments) {
            try {
                if (started != null) {
                    started.countDown();
                }
                if (gate != null && !gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StringNode.valueOf(Thread.currentThread().getName());
        }
    }

    record Probe(List<Tool> tools) implements Component {
        public String name() {
            return "probe";
        }

        public String description() {
            return "thread probes";
        }

        public Set<Capability> capabilities() {
            return Set.of();
        }
    }

    @Test
    void eachToolSaysWhetherItMayBlockAndOnlyThoseGoToWorkers() {
        CountDownLatch gate = new CountDownLatch(1);
        Probe probe = new Probe(List.of(new ThreadTool("quick", Workload.SESSION_DATA, null, null), new ThreadTool("slow", Workload.OUTSIDE, null, gate)));
        try (TestServer s = new TestServer(new MemoryStore(), b -> b.withComponent(probe), c -> c.withEventLoops(1))) {
            assertThat(new VfsComponent().tool("read_file").orElseThrow().workload()).isEqualTo(Workload.SESSION_DATA);
            assertThat(new VfsComponent().tool("search_files").orElseThrow().workload()).isEqualTo(Workload.OUTSIDE);
            assertThat(new VfsComponent().tool("find_files").orElseThrow().workload()).isEqualTo(Workload.OUTSIDE);
            assertThat(s.post("/probe/execute", "{\"name\":\"quick\",\"arguments\":{}}").json().path("result").asString()).contains("eventloop");
            CompletableFuture<TestServer.Response> slow = CompletableFuture.supplyAsync(() -> s.post("/probe/execute", "{\"name\":\"slow\",\"arguments\":{}}"));
            // the one event loop stays free while the slow tool waits
            long start = System.nanoTime();
            assertThat(s.get("/health").status()).isEqualTo(200);
            assertThat(s.vfs("v", "write_file", "{\"file_path\":\"a\",\"content\":\"x\"}").json().path("success").asBoolean()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
            gate.countDown();
            assertThat(slow.join().json().path("result").asString()).startsWith("spindle-tools");
        }
        try (TestServer sqlite = new TestServer(TestServer.store("sqlite", dir), b -> b.withComponent(probe), c -> c)) {
            assertThat(sqlite.post("/probe/execute", "{\"name\":\"quick\",\"arguments\":{}}").json().path("result").asString())
                    .as("store I/O blocks").startsWith("spindle-tools");
        }
    }

    @Test
    void pastTheBoundOfPendingCallsTheServerAnswers503WithRetryAfter() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        Probe probe = new Probe(List.of(new ThreadTool("slow", Workload.OUTSIDE, started, gate)));
        try (TestServer s = new TestServer(new MemoryStore(), b -> b.withComponent(probe), c -> c.withWorkers(1).withMaxPendingCalls(1))) {
            CompletableFuture<TestServer.Response> held = CompletableFuture.supplyAsync(() -> s.post("/probe/execute", "{\"name\":\"slow\",\"arguments\":{}}"));
            assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
            for (String call : List.of("{\"name\":\"slow\",\"arguments\":{}}", "{\"session_id\":\"s\",\"tool\":\"slow\",\"args\":{}}")) {
                var refused = s.post("/probe/execute", call);
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.json().path("error_type").asString()).isEqualTo("Overloaded");
                assertThat(refused.header("retry-after")).isEqualTo("1");
            }
            assertThat(s.get("/health").status()).as("quick routes still answer").isEqualTo(200);
            gate.countDown();
            assertThat(held.join().status()).isEqualTo(200);
            // the slot is given back just after the answer is written, so the next call may need a moment
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int status;
            do {
                status = s.post("/probe/execute", "{\"name\":\"slow\",\"arguments\":{}}").status();
            } while (status == 503 && System.nanoTime() < deadline);
            assertThat(status).as("once the held call is done, calls are served again").isEqualTo(200);
        }
    }

    @Test
    void foreignOriginsAre403AndLocalOrListedOnesPass() {
        try (TestServer s = new TestServer(new MemoryStore(), b -> b, c -> c.withAllowedOrigins(List.of("https://App.example:8443/")))) {
            String call = "{\"session_id\":\"o\",\"tool\":\"list_files\",\"args\":{}}";
            for (String origin : List.of("http://evil.example", "null", "http://localhost.evil.example", "http://127.0.0.1.evil.example:3000",
                    "https://app.example", "file://", "http://localhost:3000/path")) {
                for (var response : List.of(s.send("POST", "/vfs/execute", call, "origin", origin), s.send("GET", "/health", null, "origin", origin),
                        s.send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "origin", origin))) {
                    assertThat(response.status()).as(origin).isEqualTo(403);
                    assertThat(response.json().path("error_type").asString()).isEqualTo("Forbidden");
                }
            }
            for (String origin : List.of("http://localhost:5173", "http://127.0.0.1", "https://[::1]:8080", "https://app.example:8443", "HTTP://LOCALHOST:1")) {
                assertThat(s.send("POST", "/vfs/execute", call, "origin", origin).status()).as(origin).isEqualTo(200);
            }
        }
    }

    @Test
    void aBodyMustBeJsonOrYamlForOperationsElse415() throws Exception {
        try (TestServer s = TestServer.start("memory", dir)) {
            String call = "{\"session_id\":\"t\",\"tool\":\"list_files\",\"args\":{}}";
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/yaml")) {
                for (String path : List.of("/vfs/execute", "/execute", "/sessions", "/mcp")) {
                    var response = s.send("POST", path, call, "content-type", type);
                    assertThat(response.status()).as(type + " " + path).isEqualTo(415);
                    assertThat(response.json().path("error_type").asString()).isEqualTo("UnsupportedMediaType");
                }
            }
            var untyped = s.raw(BadInputCorpus.request("POST", "/vfs/execute", null, call.getBytes()));
            assertThat(untyped.status()).isEqualTo(415);
            assertThat(untyped.json().path("error").asString()).contains("none was given");
            assertThat(s.send("POST", "/vfs/execute", call, "content-type", "Application/JSON; charset=utf-8").status()).isEqualTo(200);
            assertThat(s.raw(BadInputCorpus.request("POST", "/sessions", null, new byte[0])).status()).as("no body, no type needed").isEqualTo(201);
            String yaml = Files.readString(MockRoutesTest.EXAMPLES.resolve("helpdesk.tools.yaml"));
            for (String type : List.of("application/yaml", "text/yaml", "application/x-yaml")) {
                assertThat(s.send("POST", "/mock/load-schema", yaml, "content-type", type).status()).as(type).isEqualTo(200);
            }
            assertThat(s.send("POST", "/mock/load-schema", yaml, "content-type", "text/plain").status()).isEqualTo(415);
        }
    }

    @Test
    void aRefusedBodyLeavesTheConnectionInStep() {
        try (TestServer s = TestServer.start("memory", dir)) {
            byte[] big = ("{\"session_id\":\"k\",\"tool\":\"write_file\",\"args\":{\"file_path\":\"a\",\"content\":\"" + "x".repeat(200_000) + "\"}}").getBytes();
            ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
            pipelined.writeBytes(keepAlive(BadInputCorpus.request("POST", "/vfs/execute", "text/plain", big)));
            pipelined.writeBytes(keepAlive(BadInputCorpus.request("POST", "/vfs/execute", "application/json", big, "origin: http://evil.example")));
            pipelined.writeBytes(keepAlive(BadInputCorpus.request("POST", "/vfs/execute", "application/json", big)));
            pipelined.writeBytes(BadInputCorpus.request("GET", "/sessions/k/files", null, new byte[0]));
            var answers = s.raw(pipelined.toByteArray(), 4);
            assertThat(answers).extracting(TestServer.RawResponse::status).containsExactly(415, 403, 200, 200);
            assertThat(answers.getLast().json().path("files").path("a").asString()).hasSize(200_000);
        }
    }

    private static byte[] keepAlive(byte[] request) {
        return new String(request, StandardCharsets.ISO_8859_1).replaceFirst("connection: close", "connection: keep-alive")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void headerAndUriGarbageIsAnsweredAsJson() {
        try (TestServer s = TestServer.start("memory", dir)) {
            String health = "GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n";
            var longUri = s.raw("GET /health?" + "a".repeat(5000) + " HTTP/1.1\r\nhost: x\r\n\r\n");
            assertThat(longUri.status()).isEqualTo(414);
            assertThat(longUri.json().path("error_type").asString()).isEqualTo("UriTooLong");
            var bigHeader = s.raw(health + "x-big: " + "b".repeat(9000) + "\r\n\r\n");
            assertThat(bigHeader.status()).isEqualTo(431);
            assertThat(bigHeader.json().path("error_type").asString()).isEqualTo("HeadersTooLarge");
            var badLength = s.raw("POST /vfs/execute HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: abc\r\n\r\n{}");
            assertThat(badLength.status()).isEqualTo(400);
            assertThat(badLength.json().path("error_type").asString()).isEqualTo("InvalidRequest");
            var noColon = s.raw(health + "no colon here\r\n\r\n");
            assertThat(noColon.status()).isEqualTo(400);
            assertThat(noColon.json().path("error").asString()).startsWith("Malformed HTTP request");
        }
    }

    @Test
    void connectionsPastTheCapAreClosedAndLoggedOnce() throws Exception {
        List<LogRecord> logged = new ArrayList<>();
        Logger logger = Logger.getLogger(ConnectionLimit.class.getName());
        Handler capture = new Handler() {
            public void publish(LogRecord record) {
                synchronized (logged) {
                    logged.add(record);
                }
            }

            public void flush() {}

            public void close() {}
        };
        logger.addHandler(capture);
        List<Socket> idle = new ArrayList<>();
        try (TestServer s = new TestServer(new MemoryStore(), b -> b, c -> c.withMaxConnections(4))) {
            for (int i = 0; i < 4; i++) {
                Socket open = new Socket("127.0.0.1", s.server.port());
                idle.add(open);
                // one answered request: the server has surely counted this connection, which stays open
                open.getOutputStream().write("GET /health HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(open.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            }
            for (int i = 0; i < 10; i++) {
                try (Socket extra = new Socket("127.0.0.1", s.server.port())) {
                    extra.setSoTimeout(5_000);
                    assertThat(extra.getInputStream().read()).as("closed by the server").isEqualTo(-1);
                }
            }
            idle.removeFirst().close();
            assertThat(healthWithin(s, 10_000)).as("a freed slot serves again").isTrue();
            synchronized (logged) {
                assertThat(logged).hasSize(1);
                assertThat(logged.getFirst().getMessage()).contains("event=connections_refused").contains("limit=4");
            }
        } finally {
            logger.removeHandler(capture);
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    /** True once /health answers 200, trying until the deadline (the server notices a closed socket a little later). */
    private static boolean healthWithin(TestServer s, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (s.get("/health").status() == 200) {
                    return true;
                }
            } catch (UncheckedIOException refused) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        try (TestServer s = new TestServer(new MemoryStore(), b -> b, c -> c.withIdleTimeoutSeconds(1));
                Socket idle = new Socket("127.0.0.1", s.server.port())) {
            idle.setSoTimeout(10_000);
            InputStream in = idle.getInputStream();
            long start = System.nanoTime();
            assertThat(in.read()).isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(500L, 8_000L);
        }
    }
}
