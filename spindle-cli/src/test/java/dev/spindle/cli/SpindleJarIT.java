package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.client.SpindleClient;
import dev.spindle.core.Json;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.server.ServerConfig;
import dev.spindle.server.SpindleServer;
import dev.spindle.testing.EverythingServer;
import dev.spindle.testing.FakeLlm;
import dev.spindle.testing.TestModules;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The runnable jar, run as a separate process the way {@code ./spindle} runs it. */
@Timeout(120)
class SpindleJarIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path workDir;

    private Process start(String... args) throws IOException {
        return new ProcessBuilder(PackagedJar.command(args)).directory(workDir.toFile()).redirectErrorStream(true).start();
    }

    private record Run(int exit, String output) {}

    private Run run(String... args) throws Exception {
        Process process = start(args);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void printsItsVersion() throws Exception {
        Run run = run("--version");
        assertThat(run.exit()).isZero();
        assertThat(run.output()).startsWith("spindle 0.").contains("Java 25");
    }

    @Test
    void taskCheckRunsTheExampleTasksFromTheJar() throws Exception {
        Run run = run("task", "check", Path.of("../examples/tasks").toAbsolutePath().toString());
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("fix-median: ok", "refund-duplicate: ok").containsPattern("(\\d+) of \\1 tasks pass");
    }

    private Path generatorConfig(FakeLlm llm, String spinEndpoint, String builtin, int samples) throws IOException {
        Path config = workDir.resolve("gen.yaml");
        Files.writeString(config, """
                llm: {provider: openai, model: fake, base_url: "%s"}
                topics: {list: ["debug settings in config.json"]}
                generation:
                  conversation: {type: cot, reasoning_style: agent}
                  tools:
                    %s
                    components: {builtin: [%s]}
                    max_per_query: 5
                    scenario_seed: {files: {config.json: "{\\"debug\\": true}"}}
                output: {num_samples: %d, batch_size: 1, save_as: out.jsonl}
                """.formatted(llm.baseUrl, spinEndpoint == null ? "" : "spin_endpoint: " + spinEndpoint, builtin, samples));
        return config;
    }

    @Test
    void generateSurvivesAKillAndResumesWithoutDuplicatesThenVerifies() throws Exception {
        try (FakeLlm llm = FakeLlm.start().delay(60)) {
            Path config = generatorConfig(llm, null, "read_file, write_file, list_files", 8);
            Path dataset = workDir.resolve("out.jsonl");
            Process first = start("generate", config.toString(), "--no-progress");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((!Files.exists(dataset) || Files.readAllLines(dataset).size() < 2) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            first.destroyForcibly().waitFor();
            List<String> survived = Files.readAllLines(dataset);
            assertThat(survived.size()).isBetween(2, 7);
            survived.forEach(Json::parse);

            Run resumed = run("generate", config.toString(), "--resume", "--no-progress");
            assertThat(resumed.exit()).as(resumed.output()).isZero();
            assertThat(resumed.output()).contains("wrote " + (8 - survived.size()) + " of 8 samples (" + survived.size() + " were already there)");
            List<Integer> indices = Files.readAllLines(dataset).stream().map(line -> Json.parse(line).at("/metadata/sample_index").asInt()).sorted().toList();
            assertThat(indices).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);

            Run verified = run("verify", "out.jsonl", "--config", config.toString());
            assertThat(verified.exit()).as(verified.output()).isZero();
            assertThat(verified.output()).contains("verified 8 records: 8 ok");

            List<String> lines = new ArrayList<>(Files.readAllLines(dataset));
            lines.set(3, lines.get(3).replace("{\\\"debug\\\": false}", "{\\\"debug\\\": \\\"off\\\"}"));
            Files.write(dataset, lines);
            Run caught = run("verify", "out.jsonl", "--config", config.toString(), "--report", "report.jsonl");
            assertThat(caught.exit()).as(caught.output()).isEqualTo(1);
            assertThat(caught.output()).contains("record 4: mismatch").contains("verified 8 records: 7 ok, 1 mismatch");
            List<String> report = Files.readAllLines(workDir.resolve("report.jsonl"));
            assertThat(report).hasSize(8);
            assertThat(Json.parse(report.get(3)).get("status").asString()).isEqualTo("mismatch");
            assertThat(Json.parse(report.get(3)).get("detail").asString()).contains("read_file");
        }
    }

    @Test
    void generateAgainstARunningServerClosesEverySession() throws Exception {
        try (FakeLlm llm = FakeLlm.start();
                ToolRuntime runtime = Spindle.runtime(new MemoryStore()).build();
                SpindleServer spindle = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1))) {
            Path config = generatorConfig(llm, "http://127.0.0.1:" + spindle.port(), "read_file, write_file, list_files", 3);
            Run run = run("generate", config.toString(), "--no-progress", "--concurrency", "3");
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(Files.readAllLines(workDir.resolve("out.jsonl"))).hasSize(3);
            assertThat(runtime.store().sessions()).isEmpty();
            assertThat(Json.parse(Files.readString(workDir.resolve("out.summary.json"))).get("written").asInt()).isEqualTo(3);
        }
    }

    @Test
    void generateTakesToolsFromAToolsEndpointAndRunsInPathMode() throws Exception {
        try (FakeLlm llm = FakeLlm.start();
                ToolRuntime runtime = Spindle.runtime(new MemoryStore()).build();
                SpindleServer spindle = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1));
                SpindleClient client = SpindleClient.connect("http://127.0.0.1:" + spindle.port())) {
            String base = "http://127.0.0.1:" + spindle.port();
            client.operate("mock", "load-schema", Json.parse(Files.readString(Path.of("../examples/mock-data/payments.tools.json"))));
            // DeepFabric's github-mock-tools shape: mock tools listed from tools_endpoint, routed to /mock/execute
            Path config = generatorConfig(llm, base + "\n    tools_endpoint: " + base + "/mock/list-tools", "read_file, write_file, list_files], mock: [get_customer", 2);
            Run listed = run("generate", config.toString(), "--no-progress");
            assertThat(listed.exit()).as(listed.output()).isZero();
            assertThat(Files.readString(workDir.resolve("out.jsonl"))).contains("\"role\":\"tool\",\"content\":\"Successfully wrote");

            // path mode: every call POSTed to one route as {name, arguments, session_id}
            Files.writeString(config, Files.readString(config).replace("tools_endpoint: " + base + "/mock/list-tools", "tool_execute_path: /execute")
                    .replace(", mock: [get_customer]", ""));
            Run pathMode = run("generate", config.toString(), "--no-progress", "--overwrite");
            assertThat(pathMode.exit()).as(pathMode.output()).isZero();
            List<String> records = Files.readAllLines(workDir.resolve("out.jsonl"));
            assertThat(records).hasSize(2).allSatisfy(line -> assertThat(Json.parse(line).at("/messages/7/content").asString()).isEqualTo("{\"debug\": false}"));
            assertThat(runtime.sessionCount()).isZero();
        }
    }

    @Test
    void aStoppedGenerateClosesItsSessionsAndSaysSoInTheSummary() throws Exception {
        try (FakeLlm llm = FakeLlm.start().delay(100);
                ToolRuntime runtime = Spindle.runtime(new MemoryStore()).build();
                SpindleServer spindle = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1))) {
            // enough samples that the run is still going when it is stopped, even on a loaded machine
            Path config = generatorConfig(llm, "http://127.0.0.1:" + spindle.port(), "read_file, write_file, list_files", 400);
            Process process = start("generate", config.toString(), "--no-progress", "--concurrency", "4");
            var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (runtime.store().sessions().size() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(runtime.store().sessions()).as("the template and four samples are open").hasSizeGreaterThanOrEqualTo(5);

            Run second = run("generate", config.toString(), "--overwrite", "--no-progress");
            assertThat(second.exit()).as(second.output()).isEqualTo(2);
            assertThat(second.output()).contains("out.jsonl is being written by another spindle generate");
            ProcessHandle.of(process.pid()).orElseThrow().destroy(); // SIGTERM, as Ctrl-C or a scheduler would; our pipe stays open
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(runtime.store().sessions()).isEmpty();
            JsonNode summary = Json.parse(Files.readString(workDir.resolve("out.summary.json")));
            assertThat(summary.get("interrupted").asBoolean()).isTrue();
            assertThat(summary.get("written").asInt()).isLessThan(400);
            assertThat(summary.at("/failures/interrupted").asInt()).isPositive();
            Files.readAllLines(workDir.resolve("out.jsonl")).forEach(Json::parse);
            assertThat(output.get(10, TimeUnit.SECONDS)).contains("To continue: ./spindle generate " + config + " --no-progress --concurrency 4 --resume");
        }
    }

    @Test
    void generateChecksOverridesAndListsTopicsWithoutMakingSamples() throws Exception {
        try (FakeLlm llm = FakeLlm.start()) {
            Path config = generatorConfig(llm, null, "read_file, write_file, list_files", 5);
            Run check = run("generate", config.toString(), "--check", "--num-samples", "50%", "--output", "elsewhere.jsonl");
            assertThat(check.exit()).as(check.output()).isZero();
            assertThat(check.output()).contains("config OK: 3 tools (read_file, write_file, list_files), seed of 1 files, samples: 50%",
                    "LLM openai/fake", "tools in process", "dataset elsewhere.jsonl");
            assertThat(check.output()).containsPattern("LLM openai/fake at \\S+ answered a one-token request in \\d+ ms");
            assertThat(llm.requests).as("one cheap request, no samples").singleElement()
                    .satisfies(request -> assertThat(request.get("max_tokens").asInt()).isEqualTo(1));
            llm.requests.clear();

            Files.writeString(config, Files.readString(config).replace("topics: {list: [\"debug settings in config.json\"]}",
                    "topics: {prompt: Files, depth: 1, degree: 3, save_as: topics.jsonl}"));
            Run topics = run("generate", config.toString(), "--topics-only", "--model", "other-model");
            assertThat(topics.exit()).as(topics.output()).isZero();
            assertThat(topics.output()).contains("Files -> Files part 1\nFiles -> Files part 2\nFiles -> Files part 3");
            assertThat(Files.readAllLines(workDir.resolve("topics.jsonl"))).hasSize(3);
            assertThat(llm.requests).hasSize(1).allSatisfy(request -> assertThat(request.get("model").asString()).isEqualTo("other-model"));
            assertThat(workDir.resolve("out.jsonl")).doesNotExist();
        }
    }

    @Test
    void generateWithAnImpossibleConfigExits2BeforeAnyLlmCall() throws Exception {
        try (FakeLlm llm = FakeLlm.start()) {
            Path config = generatorConfig(llm, null, "read_file, teleport", 1);
            Run run = run("generate", config.toString());
            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.output()).contains("generation.tools.components.builtin[1]: no tool 'teleport' in component vfs");

            Files.writeString(workDir.resolve("topics.txt"), "\n  \n");
            Path noTopics = generatorConfig(llm, null, "read_file", 1);
            Files.writeString(noTopics, Files.readString(noTopics).replace("topics: {list: [\"debug settings in config.json\"]}", "topics: {file: topics.txt}"));
            Run empty = run("generate", noTopics.toString(), "--overwrite");
            assertThat(empty.exit()).as(empty.output()).isEqualTo(2);
            assertThat(empty.output()).contains("topics.file: ").contains("topics.txt holds no topics");
            Files.writeString(workDir.resolve("topics.txt"), "a topic\n{\"path\": [\n");
            Run notJson = run("generate", noTopics.toString(), "--overwrite");
            assertThat(notJson.exit()).as(notJson.output()).isEqualTo(2);
            assertThat(notJson.output()).contains("topics.txt line 2: Invalid JSON");
            assertThat(llm.requests).isEmpty();
        }
    }

    @Test
    void anUnreachableLlmIsOneClearLineNamingItsAddress() throws Exception {
        try (FakeLlm llm = FakeLlm.start()) {
            Path config = generatorConfig(llm, null, "read_file", 2);
            Files.writeString(config, Files.readString(config).replace(llm.baseUrl, "http://127.0.0.1:9/v1")
                    .replace("topics: {list: [\"debug settings in config.json\"]}", "topics: {prompt: Files, depth: 1, degree: 2}"));
            Run run = run("generate", config.toString(), "--no-progress");
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.output()).contains("spindle: topic expansion failed: cannot reach the LLM at http://127.0.0.1:9/v1/chat/completions: connection refused")
                    .doesNotContain("null", "\tat ");
        }
    }

    @Test
    void helpListsTheServeOptions() throws Exception {
        Run run = run("serve", "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.output()).contains("--port", "--host", "--store", "--session-ttl", "--token", "--deny-path",
                "--max-file-size", "--max-files", "--max-session-size", "--max-mock-response", "state.db", "--allow-origin", "--max-connections",
                "--idle-timeout", "--max-pending-calls", "--mock-outbound", "--handler-timeout", "--max-script-state", "--max-snapshots", "--max-snapshot-bytes");
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        Run badStore = run("serve", "--store", "postgres://x");
        assertThat(badStore.exit()).isEqualTo(2);
        assertThat(badStore.output()).contains("Invalid value for option '--store': 'postgres://x' is not a store", "Usage: spindle serve ");
        assertThat(run("serve", "--session-ttl", "soon").exit()).isEqualTo(2);
        Run negativeTrace = run("serve", "--trace-limit", "-1", "--port", "0");
        assertThat(negativeTrace.exit()).isEqualTo(2);
        assertThat(negativeTrace.output()).contains("--trace-limit must be 0 (keep no trace) or more, got -1");
        assertThat(run("serve", "--max-mock-response", "0").exit()).isEqualTo(2);
        Run badPattern = run("serve", "--mock-outbound", "10.0.0.5");
        assertThat(badPattern.exit()).isEqualTo(2);
        assertThat(badPattern.output()).contains("Invalid value for option '--mock-outbound'", "'10.0.0.5' is not scheme://host:port");
        // each a configuration error named at once (exit 1, or a server on port -1, before)
        Run badNumbers = run("serve", "--store", "memory", "--port", "-1", "--max-files", "0", "--workers", "0", "--max-snapshots", "0",
                "--handler-timeout", "20m");
        assertThat(badNumbers.exit()).as(badNumbers.output()).isEqualTo(2);
        assertThat(badNumbers.output()).contains("serve: 5 problems:", "--port must be 0 (any free port) to 65535, got -1",
                "--max-files must be at least 1, got 0", "--workers must be at least 1, got 0", "--max-snapshots must be 1 or more, got 0",
                "--handler-timeout must be at most 10m");
        assertThat(run("serve", "--max-script-state", "0").exit()).isEqualTo(2);
        assertThat(run("serve", "--max-snapshot-bytes", "0").exit()).isEqualTo(2);
        assertThat(run("serve", "--no-such-flag").exit()).isEqualTo(2);
        Run noDataset = run("verify", "no-such.jsonl");
        assertThat(noDataset.exit()).isEqualTo(2);
        assertThat(noDataset.output()).contains("spindle: no-such.jsonl cannot be read");
        assertThat(run("frobnicate").exit()).isEqualTo(2);
    }

    @Test
    void importToolsSavesAStdioServersToolsInDeepFabricFormat() throws Exception {
        String command = String.join(" ", EverythingServer.stdioCommand());
        Run run = run("import-tools", "--transport", "stdio", "--command", command, "--output", "tools.json", "--timeout", "60");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("echo (1 params): Echoes back the input string").contains("Saved");
        assertThat(run.output()).as("quiet by default: no SDK logs, no server banner").doesNotContain("INFO", "MCP server starting", "server:");
        JsonNode saved = Json.parse(Files.readString(workDir.resolve("tools.json")));
        JsonNode echo = null;
        for (JsonNode tool : saved.path("tools")) {
            if (tool.path("name").asString().equals("echo")) {
                echo = tool;
            }
        }
        assertThat(echo).isNotNull();
        assertThat(echo.path("parameters").get(0).toString())
                .isEqualTo("{\"name\":\"message\",\"type\":\"str\",\"description\":\"Message to echo\",\"required\":true,\"default\":\"\"}");
        assertThat(echo.path("category").asString()).isEqualTo("general");
    }

    @Test
    void importToolsPushesAnHttpServersToolsToARunningSpindle() throws Exception {
        try (EverythingServer everything = EverythingServer.startHttp();
                ToolRuntime runtime = Spindle.runtime(new MemoryStore()).build();
                SpindleServer spindle = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1));
                SpindleClient client = SpindleClient.connect("http://127.0.0.1:" + spindle.port())) {
            Run run = run("import-tools", "--transport", "http", "--endpoint", everything.url(), "--header", "X-Test=1",
                    "--spin", "http://127.0.0.1:" + spindle.port(), "--output", "out/tools.yaml", "--format", "openai");
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).contains("Pushed ").contains("/mock/load-schema");
            JsonNode listed = client.operate("mock", "list-tools", Json.object());
            assertThat(listed.path("tools").toString()).contains("\"echo\"");
            assertThat(Files.readString(workDir.resolve("out/tools.yaml"))).contains("type: \"function\"").contains("name: \"echo\"");
        }
    }

    @Test
    void mcpOverStdioIsOneIsolatedSessionPerProcess() {
        List<String> mcp = PackagedJar.command("mcp");
        ServerParameters spindleMcp = ServerParameters.builder(mcp.getFirst()).args(mcp.subList(1, mcp.size())).build();
        var mapper = new JacksonMcpJsonMapper(tools.jackson.databind.json.JsonMapper.builder().build());
        try (McpSyncClient first = McpClient.sync(new StdioClientTransport(spindleMcp, mapper)).requestTimeout(Duration.ofSeconds(30)).build();
                McpSyncClient second = McpClient.sync(new StdioClientTransport(spindleMcp, mapper)).requestTimeout(Duration.ofSeconds(30)).build()) {
            first.initialize();
            second.initialize();
            assertThat(first.listTools().tools()).extracting(McpSchema.Tool::name).contains("read_file", "write_file", "find_files");
            var write = first.callTool(McpSchema.CallToolRequest.builder("write_file").arguments(Map.of("file_path", "a.txt", "content", "stdio")).build());
            assertThat(((McpSchema.TextContent) write.content().getFirst()).text()).isEqualTo("Successfully wrote 5 bytes to a.txt");
            var read = first.callTool(McpSchema.CallToolRequest.builder("read_file").arguments(Map.of("file_path", "a.txt")).build());
            assertThat(((McpSchema.TextContent) read.content().getFirst()).text()).isEqualTo("stdio");
            var isolated = second.callTool(McpSchema.CallToolRequest.builder("read_file").arguments(Map.of("file_path", "a.txt")).build());
            assertThat(isolated.isError()).isTrue();
            assertThat(((McpSchema.TextContent) isolated.content().getFirst()).text()).startsWith("FileNotFound");
        }
    }

    @Test
    void importToolsUsageMistakesExitWith2() throws Exception {
        assertThat(run("import-tools", "--transport", "stdio", "--command", "x").exit()).isEqualTo(2);
        assertThat(run("import-tools", "--transport", "stdio", "--output", "x.json").exit()).isEqualTo(2);
        assertThat(run("import-tools", "--transport", "http", "--endpoint", "http://x/mcp", "--header", "novalue", "--output", "x.json").exit()).isEqualTo(2);
        assertThat(run("import-tools", "--transport", "carrier-pigeon", "--output", "x.json").exit()).isEqualTo(2);
        long start = System.nanoTime();
        Run missing = run("import-tools", "--transport", "stdio", "--command", "no-such-mcp-server --flag", "--output", "x.json", "--timeout", "60");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.output()).contains("spindle: MCP server command 'no-such-mcp-server' cannot start: No such file or directory")
                .doesNotContain("\tat ", "    at ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("at once, not after --timeout").isLessThan(Duration.ofSeconds(30));
        Run unreachable = run("import-tools", "--transport", "http", "--endpoint", "http://127.0.0.1:9/mcp", "--output", "x.json", "--timeout", "3");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.output()).contains("spindle: MCP server http://127.0.0.1:9/mcp failed");
    }

    @Test
    void servesWebAssemblyComponentsFromAManifest() throws Exception {
        Path modules = Files.createDirectories(workDir.resolve("modules"));
        Files.copy(TestModules.module("hello"), modules.resolve("hello.wasm"));
        Files.writeString(workDir.resolve("spindle.toml"), """
                spin_manifest_version = 2
                [[trigger.http]]
                route = "/hello/..."
                component = "hello"
                [component.hello]
                source = "modules/hello.wasm"
                """);
        try (ToolRuntime runtime = Spindle.runtime(new MemoryStore(), workDir.resolve("spindle.toml")).build();
                SpindleServer server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1));
                SpindleClient client = SpindleClient.connect("http://127.0.0.1:" + server.port())) {
            var result = client.execute(new dev.spindle.core.ToolCall("s", "hello", "hello", Json.object().put("name", "Ada")));
            assertThat(result.result()).isEqualTo("hello from wasm");
            assertThat(client.components()).extracting(c -> c.name()).containsExactly("vfs", "mock", "code", "shell", "github", "hello");
            var printed = client.execute(new dev.spindle.core.ToolCall("s", "code", "run_javascript", Json.object().put("code", "console.log(6 * 7)")));
            assertThat(Json.parse(printed.result()).path("stdout").asString()).isEqualTo("42\n");
        }
        Files.writeString(workDir.resolve("bad.toml"), "[[trigger.http]]\nroute = \"/x/...\"\ncomponent = \"x\"\n[component.x]\nsorce = \"x.wasm\"\n");
        Run bad = run("serve", "--port", "0", "--store", "memory", "--manifest", "bad.toml");
        assertThat(bad.exit()).as("a bad manifest is a configuration error, like a bad generator config").isEqualTo(2);
        assertThat(bad.output()).contains("spindle: bad.toml: unknown key 'component.x.sorce'");
    }

    @Test
    void filesAWasmComponentWritesAreWhatReadFileSeesInThatSessionOnly() throws Exception {
        Path examples = TestModules.examples();
        Files.writeString(workDir.resolve("spindle.toml"), Files.readString(examples.resolve("spindle.toml"))
                .replace("source = \"", "source = \"" + examples + "/").replace("${STATUS_URL}", "http://127.0.0.1:9/"));
        try (ToolRuntime runtime = Spindle.runtime(new MemoryStore(), workDir.resolve("spindle.toml")).build();
                SpindleServer server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1));
                SpindleClient client = SpindleClient.connect("http://127.0.0.1:" + server.port())) {
            client.execute(new dev.spindle.core.ToolCall("a", "vfs", "write_file", Json.object().put("file_path", "cfg.json").put("content", "{\"debug\":true}")));
            var formatted = client.execute(new dev.spindle.core.ToolCall("a", "textstats", "json_format", Json.object().put("path", "cfg.json")));
            assertThat(formatted.result()).isEqualTo("Formatted cfg.json");
            assertThat(client.execute(new dev.spindle.core.ToolCall("a", "vfs", "read_file", Json.object().put("file_path", "cfg.json"))).result())
                    .isEqualTo("{\n  \"debug\": true\n}\n");
            var elsewhere = client.execute(new dev.spindle.core.ToolCall("b", "vfs", "read_file", Json.object().put("file_path", "cfg.json")));
            assertThat(elsewhere.errorType()).isEqualTo(dev.spindle.core.ErrorType.FileNotFound);
        }
    }

    @Test
    void aTakenPortOrAnUnwritableStoreIsOneClearLineAndExit1() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run run = run("serve", "--store", "memory", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.output()).contains("spindle: cannot listen on 127.0.0.1:" + taken.getLocalPort(), "Address already in use",
                    "choose another with --port N, or --port 0 for any free one").doesNotContain("\tat ");
        }
        Files.writeString(workDir.resolve("blocker"), "a file where a directory should be");
        Run run = run("serve", "--port", "0", "--store", "sqlite:blocker/state.db");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("spindle: cannot open SQLite store").doesNotContain("\tat ");
    }

    @Test
    void servesWithTheEmbeddedStoreAndStopsCleanlyOnSigterm() throws Exception {
        Served quiet = serveCallAndStop("serve", "--port", "0", "--allow-origin", "https://app.example", "--max-connections", "50", "--idle-timeout", "30s");
        assertThat(quiet.output()).doesNotContain("event=tool_call");
        assertThat(quiet.mockCapabilities().toString())
                .isEqualTo("{\"key_value\":{},\"outbound_http\":{\"allowed_hosts\":[\"*://*:*\",\"*://127.0.0.1:*\",\"*://localhost:*\"]}}");
        assertThat(Files.exists(workDir.resolve(".spindle/state.db"))).isTrue();
    }

    @Test
    void servesTheConsoleFromTheJarAndReplaysADatasetRecord() throws Exception {
        Path data = Files.createDirectories(workDir.resolve("data"));
        Files.writeString(data.resolve("run.jsonl"), """
                {"messages":[{"role":"user","content":"Save hello"},{"role":"assistant","content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"write_file","arguments":"{\\"file_path\\":\\"notes.txt\\",\\"content\\":\\"hello\\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"Successfully wrote 5 bytes to notes.txt"},{"role":"assistant","content":"Saved."}]}
                """);
        try (ChildServer server = ChildServer.start(workDir, "--store", "memory", "--datasets", "data");
                HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.base + "/ui/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("/ui/app.js");
            HttpResponse<String> verify = http.send(HttpRequest.newBuilder(URI.create(server.base + "/datasets/run.jsonl/records/1/verify"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode outcome = Json.parse(verify.body());
            assertThat(outcome.path("status").asString()).as(verify.body()).isEqualTo("ok");
            assertThat(outcome.path("verify").path("calls").get(0).path("matches").asBoolean()).isTrue();
            assertThat(outcome.path("verify").path("calls").get(0).path("actual").asString()).isEqualTo("Successfully wrote 5 bytes to notes.txt");
        }
        Run shown = run("show", "data/run.jsonl");
        assertThat(shown.exit()).isZero();
        assertThat(shown.output()).contains("[tool call write_file]").contains("[final answer]\n  Saved.");
    }

    @Test
    void verboseServeLogsEachToolCall() throws Exception {
        Served verbose = serveCallAndStop("serve", "--port", "0", "--store", "memory", "-v", "--allow-origin", "https://app.example",
                "--mock-outbound", "http://10.0.0.5:3001", "--mock-outbound", "https://*");
        assertThat(verbose.mockCapabilities().path("outbound_http").toString()).isEqualTo("{\"allowed_hosts\":[\"http://10.0.0.5:3001\",\"https://*\"]}");
        assertThat(verbose.output()).containsPattern("FINE dev.spindle.core.runtime.ToolRuntime event=tool_call session=s component=vfs tool=write_file success=true duration_us=\\d+");
    }

    /** What a served process printed, and what {@code /components} said the mock was granted. */
    private record Served(String output, JsonNode mockCapabilities) {}

    /** Starts the server, writes a file over HTTP, reads {@code /components}, stops it with SIGTERM. */
    private Served serveCallAndStop(String... args) throws Exception {
        Process server = start(args);
        StringBuffer output = new StringBuffer();
        Thread drain = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                }
            } catch (IOException closed) {
                // the process ended
            }
        });
        JsonNode mockCapabilities;
        try {
            int port = -1;
            for (int i = 0; i < 300 && port < 0; i++) {
                Matcher m = LISTENING.matcher(output);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                } else {
                    Thread.sleep(100);
                }
            }
            assertThat(port).as(output.toString()).isPositive();
            assertThat(output.toString()).doesNotContain("SLF4J");
            try (HttpClient http = HttpClient.newHttpClient()) {
                String base = "http://127.0.0.1:" + port;
                HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(base + "/vfs/execute"))
                        .header("content-type", "application/json").header("origin", "https://app.example").POST(HttpRequest.BodyPublishers.ofString("{\"session_id\":\"s\",\"tool\":\"write_file\",\"args\":{\"file_path\":\"a\",\"content\":\"b\"}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(write.body()).isEqualTo("{\"success\":true,\"result\":\"Successfully wrote 1 bytes to a\"}");
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).header("origin", "https://evil.example").build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(foreign.statusCode()).isEqualTo(403);
                String components = http.send(HttpRequest.newBuilder(URI.create(base + "/components")).build(), HttpResponse.BodyHandlers.ofString()).body();
                mockCapabilities = Json.parse(components).at("/details/1/capabilities");
                if (!List.of(args).contains("memory")) {
                    assertThat(health.body()).contains("\"store\":\"sqlite:" + workDir.toRealPath().resolve(".spindle/state.db"));
                }
            }
            ProcessHandle.of(server.pid()).orElseThrow().destroy(); // SIGTERM, leaving our pipe open to read the goodbye
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
            drain.join(5000);
            assertThat(output.toString()).contains("spindle: stopped");
            assertThat(server.exitValue()).isIn(0, 143);
            return new Served(output.toString(), mockCapabilities);
        } finally {
            server.destroyForcibly();
        }
    }
}
