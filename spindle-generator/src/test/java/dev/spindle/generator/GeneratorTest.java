package dev.spindle.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.code.CodeComponent;
import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.files.SeedSpec;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.github.GitHubComponent;
import dev.spindle.github.GitHubConfig;
import dev.spindle.generator.tools.ToolSetup;
import dev.spindle.mock.MockComponent;
import dev.spindle.testing.FakeLlm;
import dev.spindle.testing.Git;
import dev.spindle.testing.SymlinkCorpus;
import dev.spindle.vfs.VfsComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The whole pipeline against a scripted agent behind a real LLM protocol, tools executed in process. */
class GeneratorTest {
    @TempDir
    Path dir;

    FakeLlm llm;
    ToolRuntime runtime;
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        llm = FakeLlm.start();
        runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new VfsComponent()).withComponent(new MockComponent())
                .withComponent(new CodeComponent()).withComponent(new GitHubComponent(GitHubConfig.of(null, null, null, null))).build();
    }

    @AfterEach
    void stop() {
        llm.close();
        runtime.close();
    }

    private Path config(String provider, String extraTools, String topics, int samples) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                llm:
                  provider: %s
                  model: fake-model
                  base_url: %s
                topics:
                  list: [%s]
                generation:
                  system_prompt: You help with files.
                  conversation: {type: cot, reasoning_style: agent}
                  tools:
                    components:
                      builtin: [read_file, write_file, list_files]
                    max_per_query: 5
                    max_agent_steps: 5
                %s
                    scenario_seed:
                      files:
                        config.json: |
                          {"debug": true, "retries": 3}
                        README.md: "# Demo\\nA demo project."
                  sample_retries: 0
                output:
                  system_prompt: You are a careful assistant.
                  num_samples: %d
                  batch_size: 2
                  save_as: %s
                """.formatted(provider, llm.baseUrl + (provider.equals("anthropic") ? "/" : ""), topics, extraTools.indent(4).stripTrailing(), samples,
                dir.resolve("out.jsonl")));
        return file;
    }

    private Summary generate(Path config, boolean resume) {
        GeneratorConfig loaded = GeneratorConfig.load(config);
        Generator generator = Generator.prepare(loaded, config.toString(), runtime,
                new Generator.Options(2, resume, !resume, false, Duration.ofMillis(10)), Map.of("ANTHROPIC_API_KEY", "test", "GEMINI_API_KEY", "test"), null, log::add);
        return generator.run();
    }

    private List<JsonNode> records() throws IOException {
        return Files.readAllLines(dir.resolve("out.jsonl")).stream().map(Json::parse).toList();
    }

    @Test
    void everyToolMessageIsARealExecutionPairedByIdAndReplays() throws IOException {
        Summary summary = generate(config("openai", "", "\"debug settings in config.json\"", 4), false);

        assertThat(summary.written()).isEqualTo(4);
        List<JsonNode> records = records();
        assertThat(records).hasSize(4);
        for (JsonNode record : records) {
            List<String> roles = new ArrayList<>();
            record.get("messages").forEach(m -> roles.add(m.get("role").asString()));
            assertThat(roles).containsExactly("system", "user", "assistant", "tool", "tool", "assistant", "tool", "assistant", "tool", "assistant");
            JsonNode messages = record.get("messages");
            assertThat(messages.get(1).get("content").asString()).isEqualTo("Please turn off debug mode in config.json and check that it worked.");
            // two calls in one step, each answered by its own id
            JsonNode calls = messages.get(2).get("tool_calls");
            assertThat(calls.get(0).get("id").asString()).matches("[A-Za-z0-9]{9}");
            assertThat(messages.get(3).get("tool_call_id").asString()).isEqualTo(calls.get(0).get("id").asString());
            assertThat(messages.get(4).get("tool_call_id").asString()).isEqualTo(calls.get(1).get("id").asString());
            assertThat(messages.get(3).get("content").asString()).isEqualTo("[\"README.md\",\"config.json\"]");
            assertThat(messages.get(4).get("content").asString()).isEqualTo("{\"debug\": true, \"retries\": 3}\n");
            assertThat(messages.get(6).get("content").asString()).startsWith("Successfully wrote");
            // the read-back sees the write: state is real and carried between steps
            assertThat(messages.get(8).get("content").asString()).isEqualTo("{\"debug\": false, \"retries\": 3}\n");
            assertThat(messages.get(9).get("content").asString()).contains("debug set to false");
            assertThat(record.at("/metadata/react_steps").asInt()).isEqualTo(4);
            assertThat(record.at("/tool_context/executions").size()).isEqualTo(4);
            assertThat(record.at("/reasoning/content/0/action").asString()).isEqualTo("list_files({}); read_file({\"file_path\":\"config.json\"})");
            List<String> toolNames = new ArrayList<>();
            record.get("tools").forEach(t -> toolNames.add(t.at("/function/name").asString()));
            assertThat(toolNames).containsExactly("read_file", "write_file", "list_files");
            assertThat(record.at("/tools/0/function/parameters/additionalProperties").asBoolean(true)).isFalse();
            assertThat(record.get("question").asString()).isEqualTo(messages.get(1).get("content").asString());
        }
        assertThat(records.stream().map(r -> r.at("/metadata/sample_index").asInt()).collect(Collectors.toSet())).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(runtime.store().sessions()).as("every session, template included, is closed").isEmpty();
        assertThat(summary.calls().mean()).isEqualTo(4.0);
        assertThat(summary.duplicateCalls()).isEqualTo(4);
        assertThat(summary.llm().inputTokens()).isEqualTo(100L * summary.llm().requests());
        assertThat(Files.readString(Generator.summaryPath(dir.resolve("out.jsonl")))).contains("\"written\" : 4");
        assertThat(Json.parse(Files.readString(Generator.summaryPath(dir.resolve("out.jsonl")))).toString()).as("the saved file is the summary answered")
                .isEqualTo(summary.toJson().toString());

        Verifier.Report report = verifier(config("openai", "", "\"x\"", 1)).verify(dir.resolve("out.jsonl"), line -> {});
        assertThat(report.count(Verifier.Status.ok)).isEqualTo(4);
        assertThat(report.failed()).isFalse();
    }

    private Verifier verifier(Path config) {
        GeneratorConfig loaded = GeneratorConfig.load(config);
        ToolSetup setup = ToolSetup.prepare(loaded.generation().tools(), runtime, config.toString());
        return new Verifier(new SeededSessions(runtime, setup.runner(), setup.tools(), setup.seed()));
    }

    @Test
    void verifyFlagsAnInventedToolResultAndPassesTheRest() throws IOException {
        generate(config("openai", "", "\"debug settings in config.json\"", 3), false);
        List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("out.jsonl")));
        lines.set(1, lines.get(1).replace("{\\\"debug\\\": false, \\\"retries\\\": 3}\\n", "{\\\"debug\\\": false, \\\"retries\\\": 5}\\n"));
        Files.write(dir.resolve("out.jsonl"), lines);
        List<String> report = new ArrayList<>();

        Verifier.Report result = verifier(config("openai", "", "\"x\"", 1)).verify(dir.resolve("out.jsonl"), r -> report.add(r.line()));

        assertThat(result.failed()).isTrue();
        assertThat(result.count(Verifier.Status.ok)).isEqualTo(2);
        assertThat(result.count(Verifier.Status.mismatch)).isEqualTo(1);
        assertThat(report.get(1)).startsWith("record 2: mismatch - call 4 read_file(").contains("recorded").contains("retries\": 5");
        assertThat(result.line()).isEqualTo("verified 3 records: 2 ok, 1 mismatch");
    }

    @Test
    void verifyingAnEmptyDatasetFailsWithNoRecords() throws IOException {
        Files.writeString(dir.resolve("out.jsonl"), "\n");

        Verifier.Report result = verifier(config("openai", "", "\"x\"", 1)).verify(dir.resolve("out.jsonl"), r -> {});

        assertThat(result.failed()).isTrue();
        assertThat(result.line()).isEqualTo("verified nothing: the dataset has no records");
    }

    @Test
    void toolErrorsBecomeToolMessagesAndNullArgumentsAreDropped() throws IOException {
        Summary summary = generate(config("openai", "", "\"a missing file\", \"the project readme\"", 2), false);

        Map<String, JsonNode> byTopic = new HashMap<>();
        records().forEach(r -> byTopic.put(r.at("/metadata/topic").asString(), r));
        JsonNode missing = byTopic.get("a missing file").get("messages");
        assertThat(missing.get(3).get("content").asString()).startsWith("Error (FileNotFound): ").contains("notes/missing.md");
        assertThat(summary.toolErrors().get("FileNotFound")).isEqualTo(1);
        JsonNode readme = byTopic.get("the project readme").get("messages");
        assertThat(readme.get(4).at("/tool_calls/0/function/arguments").asString()).isEqualTo("{\"file_path\":\"README.md\"}");
        assertThat(readme.get(5).get("content").asString()).isEqualTo("# Demo\nA demo project.");
    }

    @Test
    void theSummaryGivesEachToolsCallsLatenciesAndErrorsAsMetricsDoes() throws IOException {
        Summary summary = generate(config("openai", "", "\"a missing file\", \"the project readme\"", 2), false);

        Map<String, Long> called = new TreeMap<>();
        records().forEach(r -> r.get("messages").forEach(m -> m.path("tool_calls")
                .forEach(c -> called.merge(c.at("/function/name").asString(), 1L, Long::sum))));
        assertThat(called).as("the scripted agent reads files").containsKey("read_file");
        assertThat(summary.tools().keySet()).isEqualTo(called.keySet());
        called.forEach((tool, calls) -> {
            Summary.Tool figures = summary.tools().get(tool);
            assertThat(figures.calls()).as(tool).isEqualTo(calls);
            assertThat(figures.p50Millis()).as(tool).isPositive().isLessThanOrEqualTo(figures.p99Millis());
            assertThat(figures.p99Millis()).as(tool + ": a local call, far below a second").isLessThan(1_000);
        });
        assertThat(summary.tools().get("read_file").errors()).isEqualTo(Map.of("FileNotFound", 1));
        JsonNode saved = Json.parse(Files.readString(Generator.summaryPath(dir.resolve("out.jsonl"))));
        assertThat(saved.at("/tools/read_file/calls").asLong()).isEqualTo(called.get("read_file"));
        assertThat(saved.at("/tools/read_file/errors/FileNotFound").asInt()).isEqualTo(1);
        assertThat(saved.at("/tools/read_file/p99_ms").asDouble()).isEqualTo(summary.tools().get("read_file").p99Millis());
    }

    @Test
    void aToolNobodyOfferedAndArgumentsThatAreNotJsonBecomeHonestErrors() throws IOException {
        Summary summary = generate(config("openai", "", "\"the weather\"", 1), false);

        JsonNode messages = records().getFirst().get("messages");
        assertThat(messages.get(3).get("content").asString())
                .isEqualTo("Error (UnknownTool): Unknown tool: get_weather. Available tools: read_file, write_file, list_files");
        assertThat(messages.at("/2/tool_calls/1/function/arguments").asString()).isEqualTo("{\"file_path\": ");
        assertThat(messages.get(4).get("content").asString()).isEqualTo("Error (InvalidArguments): arguments are not valid JSON");
        assertThat(summary.toJson().get("tool_errors").toString()).isEqualTo("{\"InvalidArguments\":1,\"UnknownTool\":1}");
        Verifier.Report report = verifier(config("openai", "", "\"x\"", 1)).verify(dir.resolve("out.jsonl"), line -> {});
        assertThat(report.count(Verifier.Status.ok)).as("both errors are reproducible facts").isEqualTo(1);
    }

    @Test
    void rateLimitsAreRetriedAfterTheServersRetryAfter() throws IOException {
        llm.rateLimit(1, 1);

        Summary summary = generate(config("openai", "", "\"debug settings in config.json\"", 1), false);

        assertThat(summary.written()).isEqualTo(1);
        assertThat(summary.llm().retries()).isEqualTo(1);
        long waitedNanos = llm.requestTimes.get(1) - llm.requestTimes.get(0);
        assertThat(Duration.ofNanos(waitedNanos)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "gemini"})
    void otherProvidersProtocolsGiveTheSameRealConversation(String provider) throws IOException {
        Summary summary = generate(config(provider, "", "\"debug settings in config.json\"", 2), false);

        assertThat(summary.written()).as(summary.toString()).isEqualTo(2);
        assertThat(summary.llm().outputTokens()).isEqualTo(20L * summary.llm().requests());
        assertThat(records().getFirst().at("/messages/8/content").asString()).isEqualTo("{\"debug\": false, \"retries\": 3}\n");
        assertThat(verifier(config(provider, "", "\"x\"", 1)).verify(dir.resolve("out.jsonl"), line -> {}).count(Verifier.Status.ok)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "gemini", "anthropic"})
    void structuredStepsExecuteTheSameWay(String provider) throws IOException {
        Summary summary = generate(config(provider, "step_mode: structured", "\"debug settings in config.json\"", 2), false);

        assertThat(summary.written()).isEqualTo(2);
        JsonNode record = records().getFirst();
        assertThat(record.at("/reasoning/content/0/thought").asString()).isEqualTo("Step after 0 results.");
        // the structured history shows one line per result, so this agent rewrote the file without its last newline
        assertThat(record.at("/messages/8/content").asString()).isEqualTo("{\"debug\": false, \"retries\": 3}");
        assertThat(record.at("/messages/9/content").asString()).startsWith("Done. ");
        String[] schemaAnswers = switch (provider) {
            case "openai" -> new String[] {"/response_format/type", "json_schema"};
            case "gemini" -> new String[] {"/generationConfig/responseMimeType", "application/json"};
            default -> new String[] {"/no-such-field", ""};
        };
        assertThat(llm.requests.stream().filter(r -> r.at(schemaAnswers[0]).asString("-").equals(schemaAnswers[1])).count())
                .as("JSON-schema answers where the adapter supports them").isEqualTo(provider.equals("anthropic") ? 0 : 8);
    }

    @Test
    void aModelWithoutToolSupportFallsBackToStructuredStepsOnce() throws IOException {
        llm.refuseTools();

        Summary summary = generate(config("openai", "", "\"debug settings in config.json\"", 3), false);

        assertThat(summary.written()).isEqualTo(3);
        assertThat(log.stream().filter(line -> line.contains("refuses tool definitions"))).hasSize(1);
        assertThat(records().getFirst().at("/reasoning/content/0/thought").asString()).isEqualTo("Step after 0 results.");
        assertThat(llm.requests.stream().filter(r -> r.path("tools").size() > 0).count()).as("one refused request per sample at most").isLessThanOrEqualTo(3);
    }

    @Test
    void anUnreachableLlmFailsAtOnceNamingItsAddress() throws IOException {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Path config = config("openai", "", "\"x\"", 2);
        Files.writeString(config, Files.readString(config).replace(llm.baseUrl, "http://127.0.0.1:" + closed + "/v1"));
        long start = System.nanoTime();

        Summary summary = generate(config, false);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no retries for a refused connection").isLessThan(Duration.ofSeconds(10));
        assertThat(summary.written()).isZero();
        assertThat(summary.failures().get("llm")).isEqualTo(2);
        assertThat(summary.failureExamples().get("llm"))
                .contains("cannot reach the LLM at http://127.0.0.1:" + closed + "/v1/chat/completions: connection refused", "--base-url")
                .doesNotContain("null");
        assertThat(summary.llm().retries()).isZero();
    }

    /** generation.tools.tool_call_format: a call written in the text is executed when the format reads it, and is only text when it is native. */
    @Test
    void toolCallsWrittenInTheTextAreReadAsTheConfigsFormatSays() throws IOException {
        llm.answerAlways("[TOOL_CALLS][{\"name\": \"list_files\", \"arguments\": {}}]");
        generate(config("openai", "tool_call_format: native", "\"x\"", 1), false);
        assertThat(llm.requests).as("the text is an answer: nothing ran").noneMatch(request -> request.path("messages").findValuesAsString("role").contains("tool"));

        llm.requests.clear();
        generate(config("openai", "tool_call_format: mistral", "\"x\"", 1), false);
        assertThat(llm.requests).as("the call ran and its result went back").anyMatch(request -> request.path("messages").findValuesAsString("role").contains("tool"));
        assertThatThrownBy(() -> GeneratorConfig.load(config("openai", "tool_call_format: xml", "\"x\"", 1)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("generation.tools.tool_call_format");
    }

    @Test
    void aTopicExpansionThatFindsNothingSaysSo() throws IOException {
        llm.answerAlways("");
        Path config = config("openai", "", "\"x\"", 2);
        Files.writeString(config, Files.readString(config).replace("list: [\"x\"]", "prompt: Files\n  depth: 2\n  degree: 3"));

        assertThatThrownBy(() -> generate(config, false)).isInstanceOf(SampleFailure.class)
                .hasMessage("topic expansion found no topics: the model listed no subtopics of 'Files'; try another model, or give topics.list or topics.file");
    }

    @Test
    void checkingMakesOneOneTokenRequestPerModelAndReportsAFailureAsAConfigError() throws IOException {
        Path config = config("openai", "", "\"x\"", 1);
        Generator.Options options = new Generator.Options(1, false, true, false, Duration.ZERO);

        List<String> lines = Generator.prepare(GeneratorConfig.load(config), "c.yaml", runtime, options, Map.of(), null, log::add).checkModels();

        assertThat(lines).singleElement().asString().matches("LLM openai/fake-model at " + java.util.regex.Pattern.quote(llm.baseUrl)
                + " answered a one-token request in \\d+ ms");
        assertThat(llm.requests).singleElement().satisfies(request -> assertThat(request.get("max_tokens").asInt()).isEqualTo(1));

        Files.writeString(config, Files.readString(config).replace(llm.baseUrl, "http://127.0.0.1:9/v1"));
        Generator unreachable = Generator.prepare(GeneratorConfig.load(config), "c.yaml", runtime, options, Map.of(), null, log::add);
        assertThatThrownBy(unreachable::checkModels).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("LLM openai/fake-model at http://127.0.0.1:9/v1 did not answer a one-token request: ")
                .hasMessageContaining("cannot reach the LLM at http://127.0.0.1:9/v1/chat/completions");
    }

    @Test
    void withoutATerminalProgressIsPlainLinesNotARedrawnBar() throws IOException {
        Path config = config("openai", "", "\"x\"", 3);
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            Generator.prepare(GeneratorConfig.load(config), "c.yaml", runtime, new Generator.Options(2, false, true, true, Duration.ZERO),
                    Map.of(), null, log::add).run();
        } finally {
            System.setErr(original);
        }

        assertThat(log).anySatisfy(line -> assertThat(line).matches("samples: 3/3 \\(3 ok, 0 failed\\), [\\d.]+/s, \\d+s elapsed"));
        assertThat(String.join("\n", log) + stderr).doesNotContain("\r");
    }

    @Test
    void resumeMakesOnlyTheMissingSamples() throws IOException {
        Path config = config("openai", "", "\"debug settings in config.json\"", 3);
        generate(config, false);
        List<String> lines = Files.readAllLines(dir.resolve("out.jsonl"));
        String kept = lines.get(0) + "\n" + lines.get(2) + "\n" + lines.get(1).substring(0, 100); // a torn last line
        Files.writeString(dir.resolve("out.jsonl"), kept);

        Summary summary = generate(config, true);

        assertThat(summary.alreadyPresent()).isEqualTo(2);
        assertThat(summary.written()).isEqualTo(1);
        assertThat(records().stream().map(r -> r.at("/metadata/sample_index").asInt()).sorted().toList()).containsExactly(0, 1, 2);
    }

    @Test
    void shardsMergedEqualOneRunInSampleOrder() throws IOException {
        Path config = config("openai", "", "\"debug settings in config.json\", \"the README\"", 5);
        generate(config, false);
        List<JsonNode> whole = records();
        List<Path> parts = new ArrayList<>();
        for (int k = 1; k <= 2; k++) {
            Summary summary = Generator.prepare(GeneratorConfig.load(config), "c.yaml", runtime,
                    new Generator.Options(2, false, true, false, Duration.ZERO, new Shard(k, 2)), Map.of(), null, log::add).run();
            assertThat(summary.requested()).isEqualTo(k == 1 ? 3 : 2);
            parts.add(Files.move(dir.resolve("out.jsonl"), dir.resolve("part" + k + ".jsonl")));
        }
        assertThat(Files.readAllLines(parts.get(1)).stream().map(line -> Json.parse(line).at("/metadata/sample_index").asInt()).sorted().toList())
                .containsExactly(1, 3);

        assertThat(DatasetMerge.merge(dir.resolve("merged.jsonl"), parts)).isEqualTo(5);

        List<JsonNode> merged = Files.readAllLines(dir.resolve("merged.jsonl")).stream().map(Json::parse).toList();
        assertThat(merged.stream().map(r -> r.at("/metadata/sample_index").asInt()).toList()).containsExactly(0, 1, 2, 3, 4);
        List<JsonNode> wholeInOrder = whole.stream().sorted(java.util.Comparator.comparingInt(r -> r.at("/metadata/sample_index").asInt())).toList();
        assertThat(merged.stream().map(GeneratorTest::withoutRunDetails).toList())
                .isEqualTo(wholeInOrder.stream().map(GeneratorTest::withoutRunDetails).toList());
    }

    @Test
    void mergeRefusesADuplicateOrAGapAndWritesNothing() throws IOException {
        String record = "{\"messages\":[],\"metadata\":{\"sample_index\":%d}}";
        Path a = Files.writeString(dir.resolve("a.jsonl"), record.formatted(0) + "\n" + record.formatted(2) + "\n");
        Path b = Files.writeString(dir.resolve("b.jsonl"), record.formatted(1) + "\n" + record.formatted(2) + "\n");
        Path c = Files.writeString(dir.resolve("c.jsonl"), record.formatted(3) + "\n");
        Path out = dir.resolve("merged.jsonl");

        assertThatThrownBy(() -> DatasetMerge.merge(out, List.of(a, b))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sample 2 is in both " + a + ":2 and " + b + ":2");
        assertThatThrownBy(() -> DatasetMerge.merge(out, List.of(a, c))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no part holds sample 1");
        assertThat(out).doesNotExist();
        assertThatThrownBy(() -> Shard.parse("3/2")).isInstanceOf(ConfigException.class).hasMessageContaining("--shard 3/2");
    }

    @Test
    void aShardRefusesTopicsThatEachMachineWouldExpandDifferently() throws IOException {
        Path config = config("openai", "", "", 2);
        Files.writeString(config, Files.readString(config).replace("  list: []", "  prompt: Files\n  save_as: " + dir.resolve("topics.jsonl")));
        Generator.Options shard = new Generator.Options(1, false, true, false, Duration.ZERO, new Shard(1, 2));
        assertThatThrownBy(() -> Generator.prepare(GeneratorConfig.load(config), "c.yaml", runtime, shard, Map.of(), null, log::add))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--shard needs the same topics on every shard");

        Generator.prepare(GeneratorConfig.load(config), "c.yaml", runtime, new Generator.Options(1, false, true, false, Duration.ZERO), Map.of(), null, log::add)
                .topics(); // --topics-only, once
        assertThat(Generator.prepare(GeneratorConfig.load(config), "c.yaml", runtime, shard, Map.of(), null, log::add).run().written()).isEqualTo(1);
    }

    /** A record minus what differs between two runs of the same scripted LLM: the random tool call ids. */
    private static String withoutRunDetails(JsonNode record) {
        return Json.write(record).replaceAll("\"(id|tool_call_id)\":\"[^\"]*\"", "\"$1\":\"_\"");
    }

    @Test
    void anExistingDatasetIsNeverReplacedSilently() throws IOException {
        Path config = config("openai", "", "\"x\"", 1);
        Files.writeString(dir.resolve("out.jsonl"), "precious\n");
        GeneratorConfig loaded = GeneratorConfig.load(config);

        assertThatThrownBy(() -> Generator.prepare(loaded, "c.yaml", runtime, new Generator.Options(1, false, false, false, Duration.ZERO), Map.of(), null, log::add))
                .isInstanceOf(ConfigException.class).hasMessageContaining("output.save_as").hasMessageContaining("--resume");
        assertThat(Files.readString(dir.resolve("out.jsonl"))).isEqualTo("precious\n");
    }

    @Test
    void anEmptyDatasetLeftByACrashedRunDoesNotBlockTheRerun() throws IOException {
        Path config = config("openai", "", "\"x\"", 1);
        Files.writeString(dir.resolve("out.jsonl"), "\n");
        GeneratorConfig loaded = GeneratorConfig.load(config);

        Summary summary = Generator.prepare(loaded, "c.yaml", runtime, new Generator.Options(1, false, false, false, Duration.ZERO), Map.of(), null, log::add).run();

        assertThat(summary.written()).isEqualTo(1);
        assertThat(records()).hasSize(1);
    }

    @Test
    void aSecondRunOnTheSameDatasetIsRefusedWhileTheFirstWrites() throws Exception {
        llm.delay(300);
        Path config = config("openai", "", "\"x\"", 2);
        GeneratorConfig loaded = GeneratorConfig.load(config);
        Generator.Options options = new Generator.Options(1, false, true, false, Duration.ZERO);
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> Generator.prepare(loaded, "c.yaml", runtime, options, Map.of(), null, log::add).run());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (llm.requests.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        Generator second = Generator.prepare(loaded, "c.yaml", runtime, options, Map.of(), null, log::add);
        assertThatThrownBy(second::run).isInstanceOf(ConfigException.class)
                .hasMessageContaining("out.jsonl is being written by another spindle generate").hasMessageContaining("--output");

        assertThat(first.get(60, java.util.concurrent.TimeUnit.SECONDS).written()).isEqualTo(2);
        assertThat(records()).as("the second run truncated nothing").hasSize(2);
        assertThat(Generator.prepare(loaded, "c.yaml", runtime, options, Map.of(), null, log::add).run().written())
                .as("the lock goes with the run").isEqualTo(2);
    }

    @Test
    void aListedToolThatDoesNotExistFailsBeforeAnyLlmCall() throws IOException {
        Path config = config("openai", "", "\"x\"", 1);
        Files.writeString(config, Files.readString(config).replace("builtin: [read_file, write_file, list_files]", "builtin: [read_file, teleport]\n      mock: [get_weather]"));
        GeneratorConfig loaded = GeneratorConfig.load(config);

        assertThatThrownBy(() -> Generator.prepare(loaded, "c.yaml", runtime, new Generator.Options(1, false, true, false, Duration.ZERO), Map.of(), null, log::add))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("generation.tools.components.builtin[1]: no tool 'teleport' in component vfs")
                .hasMessageContaining("generation.tools.components.mock[0]: no tool 'get_weather'");
        assertThat(llm.requests).isEmpty();
    }

    @Test
    void mockToolsAndDataLoadFromTheConfigAndRunPerSession() throws IOException {
        Path examples = Path.of("../examples/mock-data").toAbsolutePath().normalize();
        Path config = config("openai", """
                mock_tools: [%s]
                mock_data: [%s]""".formatted(examples.resolve("payments.tools.json"), examples.resolve("payments.mock-data.json")),
                "\"debug settings in config.json\"", 1);
        Files.writeString(config, Files.readString(config).replace("builtin: [read_file, write_file, list_files]",
                "builtin: [read_file, write_file, list_files]\n      mock: [get_customer]"));

        Summary summary = generate(config, false);

        assertThat(summary.written()).isEqualTo(1);
        JsonNode tools = records().getFirst().get("tools");
        assertThat(tools.size()).isEqualTo(3); // used tools only: the agent never called get_customer
        assertThat(runtime.components().stream().filter(c -> c.name().equals("mock")).findFirst().orElseThrow().tools())
                .anyMatch(t -> t.name().equals("get_customer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vfs.yaml", "mock-github.yaml", "mixed.yaml", "coding.yaml", "github-fix.yaml"})
    void theShippedExamplesResolveEveryToolAndTheirSeed(String name) {
        Path example = Path.of("../examples/generate", name).toAbsolutePath().normalize();
        GeneratorConfig config = GeneratorConfig.load(example);

        ToolSetup setup = ToolSetup.prepare(config.generation().tools(), runtime, example.toString());

        assertThat(config.warnings()).isEmpty();
        int listed = config.generation().tools().components().values().stream().mapToInt(List::size).sum();
        assertThat(setup.tools().all()).hasSize(listed);
        if (name.equals("vfs.yaml")) {
            assertThat(setup.seed()).containsKeys("app/main.py", "app/settings.py", "config.json", ".env.example");
        }
        if (name.equals("coding.yaml")) {
            assertThat(setup.seed()).containsKeys("slugify.py", "test_slugify.py");
        }
    }

    @Test
    void aSeedCanComeFromAGitRepositoryAtARef() throws Exception {
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/app.py"), "print('v1')\n");
        Git.run(repo, "init", "-q", "-b", "main");
        Git.run(repo, "add", ".");
        Git.run(repo, "commit", "-q", "-m", "v1");
        Git.run(repo, "tag", "v1");
        Files.writeString(repo.resolve("src/app.py"), "print('v2')\n");
        Git.run(repo, "commit", "-q", "-am", "v2");

        Map<String, String> files = dev.spindle.generator.tools.Seeds.files(
                new SeedSpec(Map.of("extra.txt", "x"), new SeedSpec.Git(repo.toString(), "v1")), "test");

        assertThat(files).containsExactlyInAnyOrderEntriesOf(Map.of("src/app.py", "print('v1')\n", "extra.txt", "x"));
        assertThatThrownBy(() -> dev.spindle.generator.tools.Seeds.files(new SeedSpec(Map.of(), new SeedSpec.Git(repo.toString(), "nope")), "test"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("generation.tools.scenario_seed.git: git clone").hasMessageContaining("nope");
    }

    @Test
    void aSeedFolderOrRepositoryNeverFollowsALinkOut() throws Exception {
        Path repo = dir.resolve("links");
        SymlinkCorpus.create(repo, dir.resolve("outside"));
        Git.run(repo, "init", "-q", "-b", "main");
        Git.run(repo, "add", "-A");
        Git.run(repo, "commit", "-q", "-m", "links");
        for (var seed : List.of(new SeedSpec(Map.of(), new SeedSpec.Folder(repo.toString())), new SeedSpec(Map.of(), new SeedSpec.Git(repo.toString(), "main")))) {
            assertThat(dev.spindle.generator.tools.Seeds.files(seed, "test")).containsExactlyInAnyOrderEntriesOf(SymlinkCorpus.EXPECTED);
        }
    }

    @Test
    void overTheCallBudgetStrictFailsTheSampleAndLenientCutsMessagesAndRecordAlike() throws IOException {
        Path config = config("openai", "", "\"debug settings in config.json\"", 1);
        Files.writeString(config, Files.readString(config).replace("max_per_query: 5", "max_per_query: 1"));

        Summary strict = generate(config, false);

        assertThat(strict.written()).isZero();
        assertThat(strict.failures().get("over_limit")).isEqualTo(1);
        assertThat(strict.failureExamples().get("over_limit")).contains("max_per_query is 1");
        assertThat(strict.llm().requests()).as("tokens of failed attempts are counted").isEqualTo(2);

        Files.writeString(config, Files.readString(config).replace("max_per_query: 1", "max_per_query: 1\n    strict: false"));
        Summary lenient = generate(config, false);

        assertThat(lenient.written()).isEqualTo(1);
        JsonNode record = records().getFirst();
        assertThat(record.at("/messages/2/tool_calls").size()).isEqualTo(1);
        assertThat(record.at("/messages/3/role").asString()).isEqualTo("tool");
        assertThat(record.at("/messages/4/role").asString()).isEqualTo("assistant");
        assertThat(record.at("/messages/4/content").asString()).startsWith("Done. ");
        assertThat(record.at("/tool_context/executions").size()).isEqualTo(1);
    }

    @Test
    void aTopicPromptGrowsADeduplicatedTreeThatIsSavedAndReused() throws IOException {
        Path config = config("openai", "", "", 1);
        Files.writeString(config, Files.readString(config)
                .replace("  list: []", "  prompt: Files\n  depth: 2\n  degree: 2\n  save_as: " + dir.resolve("out/topics.jsonl"))
                .replace("num_samples: 1", "num_samples: auto"));

        Summary first = generate(config, false);

        List<String> saved = Files.readAllLines(dir.resolve("out/topics.jsonl"));
        assertThat(saved).containsExactly(
                "{\"path\":[\"Files\",\"Files part 1\",\"Files part 1 part 1\"]}",
                "{\"path\":[\"Files\",\"Files part 1\",\"Files part 1 part 2\"]}",
                "{\"path\":[\"Files\",\"Files part 2\",\"Files part 2 part 1\"]}",
                "{\"path\":[\"Files\",\"Files part 2\",\"Files part 2 part 2\"]}");
        assertThat(first.written()).isEqualTo(4);
        assertThat(records().stream().map(r -> r.at("/metadata/topic").asString()).sorted().toList())
                .containsExactly("Files -> Files part 1 -> Files part 1 part 1", "Files -> Files part 1 -> Files part 1 part 2",
                        "Files -> Files part 2 -> Files part 2 part 1", "Files -> Files part 2 -> Files part 2 part 2");
        int requestsBefore = llm.requests.size();

        generate(config, false);

        assertThat(llm.requests.subList(requestsBefore, llm.requests.size()))
                .noneMatch(r -> r.toString().contains("distinct, specific subtopics"));
        assertThat(log).anyMatch(line -> line.startsWith("reusing topics from "));
    }

    @Test
    void withoutToolsTheSampleIsAPlainExchange() throws IOException {
        Path config = dir.resolve("basic.yaml");
        Files.writeString(config, """
                llm: {provider: openai, model: fake, base_url: "%s"}
                topics: {list: [python lists]}
                generation: {system_prompt: Teach Python., conversation: {type: basic}}
                output: {num_samples: 1, include_system_message: false, save_as: %s}
                """.formatted(llm.baseUrl, dir.resolve("out.jsonl")));

        generate(config, false);

        JsonNode record = records().getFirst();
        assertThat(record.get("messages").size()).isEqualTo(2);
        assertThat(record.at("/metadata/conversation_type").asString()).isEqualTo("basic");
        assertThat(record.has("tools")).isFalse();
        assertThat(record.get("final_answer").asString()).startsWith("A plain answer to: ");
    }

    /** One record: the user asks, the assistant calls run_python with each code in turn, each tool message answers. */
    private static String codeRecord(int timeoutMs, String... codesAndAnswers) {
        ObjectNode record = Json.object();
        var messages = record.putArray("messages");
        messages.addObject().put("role", "user").put("content", "Run it");
        for (int i = 0; i < codesAndAnswers.length; i += 2) {
            String id = "call" + i;
            ObjectNode function = messages.addObject().put("role", "assistant").put("content", "").putArray("tool_calls").addObject()
                    .put("id", id).put("type", "function").putObject("function").put("name", "run_python");
            function.put("arguments", Json.write(Json.object().put("code", codesAndAnswers[i]).put("timeout_ms", timeoutMs)));
            messages.addObject().put("role", "tool").put("tool_call_id", id).put("content", codesAndAnswers[i + 1]);
        }
        return Json.write(record);
    }

    /** Code results are what the code determines, so a clean dataset verifies; a timed-out call proves nothing either way. */
    @Test
    void verifyReproducesCodeResultsAndCallsATimedOutReplayUnverifiable() throws IOException {
        Verifier bare = new Verifier(new SeededSessions(runtime, dev.spindle.generator.tools.ToolRunner.on(runtime), null, Map.of()));
        String printed = "{\"stdout\":\"42\\n\",\"stderr\":\"\",\"exit_code\":0}";
        Files.writeString(dir.resolve("clean.jsonl"), String.join("\n",
                codeRecord(20_000, "print(6 * 7)", printed),
                codeRecord(20_000, "open('n.txt', 'w').write('6')", "{\"stdout\":\"\",\"stderr\":\"\",\"exit_code\":0}",
                        "print(int(open('n.txt').read()) * 7)", printed)) + "\n");
        Verifier.Report clean = bare.verify(dir.resolve("clean.jsonl"), r -> {});
        assertThat(clean.line()).isEqualTo("verified 2 records: 2 ok");
        assertThat(clean.failed()).isFalse();

        String timedOut = "Error (Timeout): The Python run took longer than 1000 ms and was stopped";
        Files.writeString(dir.resolve("timeouts.jsonl"), String.join("\n",
                codeRecord(1000, "while True:\n    pass", timedOut),
                codeRecord(1000, "print(6 * 7)", printed, "while True:\n    pass", timedOut)) + "\n");
        List<String> lines = new ArrayList<>();
        Verifier.Report timeouts = bare.verify(dir.resolve("timeouts.jsonl"), r -> lines.add(r.line()));
        assertThat(timeouts.line()).isEqualTo("verified 2 records: 2 unverifiable");
        assertThat(lines.get(1)).startsWith("record 2: unverifiable - call 2 run_python(").contains("the replay answered Timeout");
        assertThat(timeouts.failed()).as("nothing was verified").isTrue();
    }

    @Test
    void verifyReadsDeepfabricRecordsWithPythonSpacingAndReportsUnknownTools() throws IOException {
        Path examples = Path.of("../examples/mock-data").toAbsolutePath().normalize();
        Path config = config("openai", """
                mock_tools: [%s]
                mock_data: [%s]""".formatted(examples.resolve("payments.tools.json"), examples.resolve("payments.mock-data.json")), "\"x\"", 1);
        Files.writeString(config, Files.readString(config).replace("builtin: [read_file, write_file, list_files]",
                "builtin: [read_file, write_file, list_files]\n      mock: [get_customer]"));
        String deepfabric = """
                {"messages":[{"role":"user","content":"Who is cus_ada?"},\
                {"role":"assistant","content":"","tool_calls":[{"id":"Qm4xT9aB2","type":"function","function":{"name":"get_customer","arguments":"{\\"customer_id\\": \\"cus_ada\\"}"}}]},\
                {"role":"tool","content":"{\\"id\\": \\"cus_ada\\", \\"name\\": \\"Ada Lovelace\\", \\"email\\": \\"ada@example.com\\", \\"delinquent\\": false, \\"balance_cents\\": 0}","tool_call_id":"Qm4xT9aB2"},\
                {"role":"assistant","content":"Ada Lovelace."}]}
                {"messages":[{"role":"user","content":"Weather?"},\
                {"role":"assistant","content":"","tool_calls":[{"id":"Zr7Kp0wLc","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},\
                {"role":"tool","content":"Sunny, 21C","tool_call_id":"Zr7Kp0wLc"}]}
                {"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}
                """;
        Files.writeString(dir.resolve("deepfabric.jsonl"), deepfabric);
        List<String> lines = new ArrayList<>();

        Verifier.Report withConfig = verifier(config).verify(dir.resolve("deepfabric.jsonl"), r -> lines.add(r.line()));
        Verifier.Report bare = new Verifier(new SeededSessions(runtime, dev.spindle.generator.tools.ToolRunner.on(runtime), null, Map.of()))
                .verify(dir.resolve("deepfabric.jsonl"), line -> {});

        assertThat(lines).containsExactly("record 1: ok - 1 call reproduced",
                "record 2: unknown_tool - call 1 get_weather({}): not among the config's tools",
                "record 3: no_tool_calls");
        assertThat(withConfig.line()).isEqualTo("verified 3 records: 1 ok, 1 unknown_tool, 1 no_tool_calls");
        assertThat(withConfig.failed()).isFalse();
        assertThat(bare.count(Verifier.Status.unknown_tool)).isEqualTo(1);
        assertThat(bare.count(Verifier.Status.ok)).isEqualTo(1);
    }
}
