package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Schema;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** Compute calls (code, WebAssembly, scripts) run on a pool of their own, so they cannot starve store calls or the health checks. */
@Timeout(60)
class ComputePoolTest {
    @TempDir
    Path dir;

    /** A compute tool that answers the thread it ran on, once {@code gate} opens; {@code started} counts its runs begun. */
    record Crunch(CountDownLatch started, CountDownLatch gate) implements Tool, Component {
        public ToolDefinition definition() {
            return new ToolDefinition("crunch", "keeps a core busy until the gate opens", Schema.object().build(), null);
        }

        public Workload workload() {
            return Workload.COMPUTE;
        }

        public JsonNode call(ToolContext context, ObjectNode arguments) {
            started.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return StringNode.valueOf(Thread.currentThread().getName());
        }

        public String name() {
            return "cruncher";
        }

        public String description() {
            return "compute";
        }

        public List<Tool> tools() {
            return List.of(this);
        }

        public Set<Capability> capabilities() {
            return Set.of();
        }
    }

    private static final String CRUNCH = "{\"name\":\"crunch\",\"arguments\":{}}";

    @Test
    void computeCallsRunOnTheComputePoolWhicheverRouteAsks() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        try (TestServer s = new TestServer(TestServer.store("sqlite", dir), b -> b.withComponent(new Crunch(new CountDownLatch(99), open)), c -> c)) {
            assertThat(s.post("/cruncher/execute", CRUNCH).json().path("result").asString()).startsWith("spindle-compute-");
            assertThat(s.post("/execute", "{\"session_id\":\"e\",\"tool\":\"crunch\",\"args\":{}}").json().path("result").asString())
                    .startsWith("spindle-compute-");
            // a body too large to parse on the event loop is read on a worker, and the call still goes to the pool
            String padded = "{\"name\":\"crunch\",\"arguments\":{},\"padding\":\"" + "x".repeat(100_000) + "\"}";
            assertThat(s.post("/cruncher/execute", padded).json().path("result").asString()).startsWith("spindle-compute-");
            JsonNode mcp = mcpCrunch(s);
            assertThat(mcp.path("result").path("content").path(0).path("text").asString()).as(mcp.toString()).startsWith("spindle-compute-");
        }
    }

    @Test
    void withThePoolFullStoreCallsAreServedAndPastItsQueueComputeCallsAnswerOverloaded() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        // two workers only: were compute calls on them, the two held below would leave none for the store
        try (TestServer s = new TestServer(TestServer.store("sqlite", dir), b -> b.withComponent(new Crunch(started, gate)).withCompute(1, 1),
                c -> c.withWorkers(2))) {
            assertThat(s.vfs("bystander", "write_file", "{\"file_path\":\"a.txt\",\"content\":\"still here\"}").status()).isEqualTo(200);
            CompletableFuture<TestServer.Response> running = CompletableFuture.supplyAsync(() -> s.post("/cruncher/execute", CRUNCH));
            assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<TestServer.Response> queued = CompletableFuture.supplyAsync(() -> s.post("/cruncher/execute", CRUNCH));
            awaitPending(s, 2);

            TestServer.Response refused = s.post("/cruncher/execute", CRUNCH);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.json().path("error_type").asString()).isEqualTo("Overloaded");
            assertThat(refused.json().path("error").asString()).contains("busy computing");
            assertThat(refused.header("retry-after")).isEqualTo("1");
            JsonNode mcp = mcpCrunch(s);
            assertThat(mcp.path("result").path("isError").asBoolean()).as(mcp.toString()).isTrue();
            assertThat(mcp.path("result").path("content").path(0).path("text").asString()).startsWith("Overloaded: ");

            CompletableFuture<TestServer.Response> read = CompletableFuture.supplyAsync(() -> s.vfs("bystander", "read_file", "{\"file_path\":\"a.txt\"}"));
            assertThat(read.get(20, TimeUnit.SECONDS).json().path("result").asString()).as("a store call is served meanwhile").isEqualTo("still here");
            assertThat(s.get("/health").json().path("status").asString()).isEqualTo("healthy");
            assertThat(running.isDone() || queued.isDone()).as("both compute calls still held").isFalse();

            gate.countDown();
            for (CompletableFuture<TestServer.Response> held : List.of(running, queued)) {
                assertThat(held.join().json().path("result").asString()).startsWith("spindle-compute-");
            }
            awaitPending(s, 0);
            assertThat(s.post("/cruncher/execute", CRUNCH).status()).as("served again once the queue drained").isEqualTo(200);
        }
    }

    /** A {@code tools/call} of crunch in a new MCP session: the JSON-RPC answer. */
    private static JsonNode mcpCrunch(TestServer s) {
        String session = s.post("/mcp", McpServerTest.INITIALIZE).header("mcp-session-id");
        return s.send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":" + CRUNCH + "}", "mcp-session-id", session).json();
    }

    /** Waits until the compute pool holds {@code calls} (running or queued). */
    private static void awaitPending(TestServer s, int calls) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (s.runtime.computePending() != calls && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(s.runtime.computePending()).isEqualTo(calls);
    }
}
