package dev.spindle.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.spindle.core.Json;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.env.Task;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.generator.Shard;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.generator.llm.Providers;
import dev.spindle.generator.llm.RetryingHttpClient;
import dev.spindle.generator.tools.TextToolCalls;
import dev.spindle.mock.MockComponent;
import dev.spindle.testing.FakeLlm;
import dev.spindle.testing.Ports;
import dev.spindle.vfs.VfsComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Eval runs against the fake LLM, which plays a scripted agent over the OpenAI protocol: it solves
 * "debug-off" (reads config.json, rewrites it, reads it back), does not write the notes "notes" asks
 * for, and in "weather" calls a tool nobody offered and sends arguments that are not JSON.
 */
@Timeout(120)
class EvalRunTest {
    @TempDir
    Path dir;

    final ToolRuntime runtime = ToolRuntime.builder().withComponent(new VfsComponent()).withComponent(new MockComponent()).build();
    FakeLlm llm;
    List<Task> tasks;

    @BeforeEach
    void start() throws IOException {
        llm = FakeLlm.start();
        write("debug-off", """
                instruction: Please turn off debug mode in config.json and check that it worked.
                seed:
                  files:
                    config.json: '{"debug": true, "port": 8080}'
                tools: [list_files, read_file, write_file]
                max_steps: 8
                verifier:
                  - contains: config.json
                    text: '"debug": false'
                """);
        write("notes", """
                instruction: Which files are there, and what does README.md say? Keep notes in notes.md.
                seed:
                  files:
                    README.md: "# Hello"
                tools: [list_files, read_file, write_file]
                verifier:
                  - exists: notes.md
                """);
        write("weather", """
                instruction: What is the weather in Paris, and what does the forecast file say?
                seed:
                  files:
                    forecast.txt: sunny
                tools: [list_files, read_file]
                verifier:
                  - exists: forecast.txt
                """);
        tasks = TaskCatalog.load(dir.resolve("tasks")).tasks();
    }

    @AfterEach
    void stop() {
        runtime.close();
        llm.close();
    }

    private void write(String id, String yaml) throws IOException {
        Path file = dir.resolve("tasks").resolve(id + ".task.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "id: " + id + "\n" + yaml);
    }

    private EvalSummary run(String baseUrl, int attempts, boolean resume, int retries, Integer maxCalls) {
        return run(baseUrl, attempts, resume, retries, maxCalls, TextToolCalls.Format.AUTO, tasks);
    }

    private EvalSummary run(String baseUrl, int attempts, boolean resume, int retries, Integer maxCalls, TextToolCalls.Format format, List<Task> which) {
        GeneratorConfig.Llm model = new GeneratorConfig.Llm("openai", "fake", 0.0, null, baseUrl);
        ChatModel chat = Providers.create(model, new RetryingHttpClient.RetryPolicy(0, Duration.ofMillis(10), new LongAdder()), Map.of(), "eval");
        EvalRun.Options options = new EvalRun.Options(attempts, 4, maxCalls, Shard.WHOLE, resume, false, retries, format, null, false);
        return new EvalRun(chat, model, options, line -> { }).run(EvalRun.tasks(which, new TaskEnvironment(runtime), runtime), dir.resolve("out"));
    }

    private List<JsonNode> results() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("out/results.jsonl"))) {
            lines.add(Json.parse(line));
        }
        return lines;
    }

    private static JsonNode line(List<JsonNode> lines, String task, int attempt) {
        return lines.stream().filter(l -> l.path("task").asString().equals(task) && l.path("attempt").asInt() == attempt).findFirst().orElseThrow();
    }

    @Test
    void gradesEveryAttemptByItsVerifierAndReportsPassRatesPerTaskErrorTypeAndTool() throws IOException {
        run(llm.baseUrl, 3, false, 0, null);

        List<JsonNode> lines = results();
        assertThat(lines).hasSize(9);
        JsonNode solved = line(lines, "debug-off", 2);
        assertThat(solved.path("status").asString()).isEqualTo("graded");
        assertThat(solved.path("reward").asDouble()).isEqualTo(1.0);
        assertThat(solved.path("solved").asBoolean()).isTrue();
        assertThat(solved.path("tool_calls").findValuesAsString("name")).containsExactly("list_files", "read_file", "write_file", "read_file");
        assertThat(solved.path("checks").get(0).path("passed").asBoolean()).isTrue();
        assertThat(solved.path("tokens").path("requests").asInt()).isEqualTo(4); // three steps of calls and the answer
        JsonNode messages = solved.path("trajectory").path("messages");
        assertThat(messages.get(0).path("content").asString()).isEqualTo("Please turn off debug mode in config.json and check that it worked.");
        assertThat(messages.get(messages.size() - 1).path("content").asString()).contains("debug set to false");
        assertThat(solved.path("trajectory").path("metadata").path("task").asString()).isEqualTo("debug-off");
        assertThat(solved.path("trajectory").path("tools").findValuesAsString("name")).containsExactlyInAnyOrder("list_files", "read_file", "write_file");

        JsonNode failed = line(lines, "notes", 1);
        assertThat(failed.path("reward").asDouble()).isEqualTo(0.0);
        assertThat(failed.path("solved").asBoolean()).isFalse();
        assertThat(failed.path("checks").get(0).path("message").asString()).isNotBlank();

        JsonNode weather = line(lines, "weather", 3);
        assertThat(weather.path("tool_calls").findValuesAsString("error_type")).containsExactly("UnknownTool", "InvalidArguments");

        JsonNode summary = Json.parse(Files.readString(dir.resolve("out/eval.summary.json")));
        assertThat(summary.path("graded").asInt()).isEqualTo(9);
        assertThat(summary.path("infra_errors").asInt()).isZero();
        assertThat(summary.path("mean_reward").asDouble()).isEqualTo(0.666667);
        assertThat(summary.path("pass_at_k").path("1").asDouble()).isEqualTo(0.666667);
        assertThat(summary.path("pass_at_k").path("3").asDouble()).isEqualTo(0.666667);
        assertThat(summary.path("per_task").path("notes").path("passed").asInt()).isZero();
        assertThat(summary.path("per_task").path("debug-off").path("pass_at_k").path("1").asDouble()).isEqualTo(1.0);
        assertThat(summary.path("per_error_type").path("UnknownTool").asInt()).isEqualTo(3);
        assertThat(summary.path("per_error_type").path("InvalidArguments").asInt()).isEqualTo(3);
        assertThat(summary.path("per_tool").path("write_file").path("calls").asInt()).isEqualTo(3);
        assertThat(summary.path("per_tool").path("get_weather").path("errors").asInt()).isEqualTo(3);
    }

    @Test
    void anUnreachableModelIsAnInfrastructureErrorNeverARewardAndResumeRetriesIt() throws IOException {
        String dead = "http://127.0.0.1:" + Ports.free() + "/v1";
        EvalSummary down = run(dead, 2, false, 1, null);

        List<JsonNode> lines = results();
        assertThat(lines).hasSize(6).allSatisfy(line -> {
            assertThat(line.path("status").asString()).isEqualTo("infra_error");
            assertThat(line.has("reward")).isFalse();
            assertThat(line.path("infra_error").path("cause").asString()).isEqualTo("llm");
            assertThat(line.path("infra_error").path("tries").asInt()).isEqualTo(2);
        });
        JsonNode summary = down.toJson();
        assertThat(summary.path("graded").asInt()).isZero();
        assertThat(summary.path("infra_errors").asInt()).isEqualTo(6);
        assertThat(summary.path("mean_reward").isNull()).isTrue();
        assertThat(summary.path("pass_at_k").path("1").isNull()).isTrue();
        assertThat(summary.path("infra_error_causes").path("llm").asInt()).isEqualTo(6);

        run(llm.baseUrl, 2, true, 1, null);
        List<JsonNode> resumed = results();
        assertThat(resumed).hasSize(6).allSatisfy(line -> assertThat(line.path("status").asString()).isEqualTo("graded"));
        assertThat(resumed.stream().map(line -> line.path("task").asString() + "#" + line.path("attempt").asInt()).distinct()).hasSize(6);
    }

    @Test
    void aModelDownForPartOfTheRunIsRetriedAndItsAttemptGraded() throws IOException {
        llm.rateLimit(2, 0);
        run(llm.baseUrl, 1, false, 2, null, TextToolCalls.Format.AUTO, tasks.subList(0, 1));

        JsonNode line = results().getFirst();
        assertThat(line.path("status").asString()).isEqualTo("graded");
        assertThat(line.path("solved").asBoolean()).isTrue();
    }

    @Test
    void resumeKeepsWhatWasGradedAndMakesOnlyTheMissingAttempts() throws IOException {
        run(llm.baseUrl, 1, false, 0, null);
        List<String> before = Files.readAllLines(dir.resolve("out/results.jsonl"));
        int requests = llm.requests.size();

        EvalSummary summary = run(llm.baseUrl, 2, true, 0, null);

        List<String> after = Files.readAllLines(dir.resolve("out/results.jsonl"));
        assertThat(after).hasSize(6).startsWith(before.toArray(String[]::new));
        assertThat(llm.requests.size() - requests).isEqualTo(requests); // one more attempt of each task, as many requests as the first run
        assertThat(summary.toJson().path("attempts").asInt()).isEqualTo(6);
    }

    @Test
    void toolCallsWrittenInTheTextAreExecutedAndOnesThatCannotBeReadAreToldToTheModelAndCounted() throws IOException {
        Task notes = tasks.stream().filter(task -> task.id().equals("notes")).findFirst().orElseThrow();
        llm.answerAlways("I will write the notes.\n<tool_call>\n{\"name\": \"write_file\", \"arguments\": {\"file_path\": \"notes.md\", \"content\": \"hello\"}}\n</tool_call>");
        run(llm.baseUrl, 1, false, 0, 2, TextToolCalls.Format.HERMES, List.of(notes));
        JsonNode written = results().getFirst();
        assertThat(written.path("solved").asBoolean()).isTrue();
        assertThat(written.path("tool_calls").findValuesAsString("name")).containsExactly("write_file", "write_file");
        assertThat(written.path("parse_failures").asInt()).isZero();

        llm.answerAlways("<tool_call>{\"name\": \"write_file\", \"arguments\": {\"file_path\": </tool_call>");
        int requests = llm.requests.size();
        GeneratorConfig.Llm model = new GeneratorConfig.Llm("openai", "fake", 0.0, null, llm.baseUrl);
        EvalRun.Options options = new EvalRun.Options(1, 1, 2, Shard.WHOLE, false, true, 0, TextToolCalls.Format.AUTO, null, false);
        new EvalRun(Providers.create(model, new RetryingHttpClient.RetryPolicy(0, Duration.ofMillis(10), new LongAdder()), Map.of(), "eval"),
                model, options, line -> { }).run(EvalRun.tasks(List.of(notes), new TaskEnvironment(runtime), runtime), dir.resolve("out"));
        JsonNode unreadable = results().getFirst();
        assertThat(unreadable.path("solved").asBoolean()).isFalse();
        assertThat(unreadable.path("tool_calls").isEmpty()).isTrue();
        assertThat(unreadable.path("parse_failures").asInt()).isEqualTo(3); // every step of the budget: two calls and the answer
        JsonNode last = llm.requests.getLast().path("messages");
        assertThat(last.get(last.size() - 1).path("content").asString()).startsWith("Error (ParseError): the tool call could not be read: the tool call is not valid JSON");
        assertThat(llm.requests.size() - requests).isEqualTo(3);
    }
}
