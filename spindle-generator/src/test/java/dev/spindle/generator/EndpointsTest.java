package dev.spindle.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.client.SpindleClient;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.mock.MockComponent;
import dev.spindle.server.ServerConfig;
import dev.spindle.server.SpindleServer;
import dev.spindle.testing.FakeLlm;
import dev.spindle.vfs.VfsComponent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client and a generator spreading sessions over two real Spindle servers, each with its own store. */
class EndpointsTest {
    @TempDir
    Path dir;

    final List<ToolRuntime> runtimes = new ArrayList<>();
    final List<SpindleServer> servers = new ArrayList<>();
    final List<String> endpoints = new ArrayList<>();

    @BeforeEach
    void start() {
        for (int i = 0; i < 2; i++) {
            ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new VfsComponent()).withComponent(new MockComponent()).build();
            SpindleServer server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1).withWorkers(4));
            runtimes.add(runtime);
            servers.add(server);
            endpoints.add("http://127.0.0.1:" + server.port());
        }
    }

    @AfterEach
    void stop() {
        servers.forEach(SpindleServer::close);
        runtimes.forEach(ToolRuntime::close);
    }

    @Test
    void sessionsAreSpreadAndEachSessionsCallsStayOnOneServer() {
        try (SpindleClient client = SpindleClient.connect(endpoints)) {
            for (int i = 0; i < 6; i++) {
                String id = "s" + i;
                client.openSession(new SessionSpec(id, Map.of("seed.txt", "seed " + i), null));
                client.execute(new ToolCall(id, null, "write_file", Json.object().put("file_path", "out.txt").put("content", "out " + i)));
                assertThat(client.exportFiles(id)).containsEntry("out.txt", "out " + i).containsEntry("seed.txt", "seed " + i);
            }
            int[] held = new int[2];
            for (int i = 0; i < 6; i++) {
                String id = "s" + i;
                boolean onFirst = runtimes.get(0).session(id).isPresent();
                ToolRuntime home = runtimes.get(onFirst ? 0 : 1);
                assertThat(runtimes.get(onFirst ? 1 : 0).session(id)).isEmpty();
                assertThat(home.exportFiles(id)).containsEntry("out.txt", "out " + i);
                assertThat(home.trace(id)).extracting(TraceEntry::tool).contains("write_file");
                held[onFirst ? 0 : 1]++;
            }
            assertThat(held[0]).isEqualTo(3);
            assertThat(held[1]).isEqualTo(3);
            client.closeSession("s0");
            assertThat(runtimes.get(0).session("s0")).isEmpty();
            assertThat(runtimes.get(1).session("s0")).isEmpty();
        }
    }

    @Test
    void aGenerationRunSpreadsItsSamplesOverBothServers() throws Exception {
        assertThat(generate().written()).isEqualTo(4);
        for (String endpoint : endpoints) {
            assertThat(metrics(endpoint).lines().filter(line -> line.startsWith("spindle_tool_calls_total{") && line.contains("tool=\"read_file\"")))
                    .as("read_file calls served by %s", endpoint).isNotEmpty();
        }
    }

    @Test
    void aGenerationRunCompletesOnTheOtherServerWhenOneIsDown() throws IOException {
        servers.removeFirst().close();
        Summary summary = generate();
        assertThat(summary.written()).isEqualTo(4);
        assertThat(Files.readAllLines(dir.resolve("out.jsonl"))).hasSize(4);
    }

    @Test
    void anInstanceKilledMidRunLosesNoSampleItsSampleIsRetriedOnTheOther() throws Exception {
        AtomicInteger servedByFirst = new AtomicInteger();
        CountDownLatch killed = new CountDownLatch(1);
        SpindleServer first = servers.removeFirst();
        runtimes.getFirst().observeCalls((component, tool, errorType, nanos) -> {
            if (servedByFirst.incrementAndGet() == 2) { // a sample is half-way through its four calls here
                Thread.ofPlatform().start(() -> {
                    first.close();
                    killed.countDown();
                });
            }
        });

        Summary summary = generate(6, 200); // each LLM answer takes 200 ms: the server is gone before the sample's next call
        assertThat(killed.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(servedByFirst.get()).as("the killed instance served calls before it died").isGreaterThanOrEqualTo(2);
        assertThat(summary.written()).isEqualTo(6);
        assertThat(summary.failures()).isEmpty();
        assertThat(summary.attempts()).as("the sample cut short was tried again").isGreaterThan(6);
        List<String> lines = Files.readAllLines(dir.resolve("out.jsonl"));
        assertThat(lines).hasSize(6);
        assertThat(lines).allSatisfy(line -> assertThat(Json.parse(line).at("/messages").size()).isGreaterThan(3));
        assertThat(summary.tools().get("write_file").calls()).as("one rewrite of config.json per written sample").isEqualTo(6);
    }

    private Summary generate() throws IOException {
        return generate(4, 0);
    }

    private Summary generate(int samples, long llmDelayMillis) throws IOException {
        try (FakeLlm llm = FakeLlm.start().delay(llmDelayMillis); SpindleClient client = SpindleClient.connect(endpoints)) {
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, """
                    llm: {provider: openai, model: fake-model, base_url: %s}
                    topics: {list: ["debug settings in config.json"]}
                    generation:
                      system_prompt: You help with files.
                      conversation: {type: cot, reasoning_style: agent}
                      tools:
                        spin_endpoint: [%s, %s]
                        components: {builtin: [read_file, write_file, list_files]}
                        max_per_query: 5
                        max_agent_steps: 5
                        scenario_seed:
                          files:
                            config.json: '{"debug": true, "retries": 3}'
                      sample_retries: 1
                    output: {num_samples: %d, batch_size: 2, save_as: %s}
                    """.formatted(llm.baseUrl, endpoints.get(0), endpoints.get(1), samples, dir.resolve("out.jsonl")));
            GeneratorConfig loaded = GeneratorConfig.load(config);
            assertThat(loaded.generation().tools().spinEndpoints()).isEqualTo(endpoints);
            return Generator.prepare(loaded, config.toString(), client,
                    new Generator.Options(2, false, true, false, Duration.ofMillis(10)), Map.of(), null, line -> {}).run();
        }
    }

    private static String metrics(String endpoint) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(endpoint + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
