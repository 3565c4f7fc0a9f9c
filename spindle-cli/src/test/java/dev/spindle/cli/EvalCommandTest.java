package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.testing.FakeLlm;
import dev.spindle.testing.Ports;
import dev.spindle.testing.Prerequisite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code spindle eval}: the command wires the provider, the tasks and the runtime; the grading itself is EvalRunTest's. */
@Timeout(120)
class EvalCommandTest {
    @TempDir
    Path dir;

    /** A task the fake model solves (FakeLlm's plan for a request naming config.json). */
    static final String DEBUG_OFF = """
            id: debug-off
            instruction: Please turn off debug mode in config.json and check that it worked.
            seed: {files: {config.json: '{"debug": true}'}}
            tools: [list_files, read_file, write_file]
            verifier:
              - contains: config.json
                text: '"debug": false'
            """;

    private final InProcessCli cli = new InProcessCli();
    private FakeLlm llm;
    private Path task;

    @BeforeEach
    void start() throws IOException {
        llm = FakeLlm.start();
        task = Files.writeString(dir.resolve("debug-off.task.yaml"), DEBUG_OFF);
    }

    @AfterEach
    void stop() {
        llm.close();
    }

    @Test
    void runsTheTasksAndPrintsATableAndWritesResultsAndASummary() throws IOException {
        Path out = dir.resolve("out");
        int exit = cli.run("eval", task.toString(), "../examples/tasks/fix-median.task.yaml", "--model", "fake", "--base-url", llm.baseUrl,
                "--attempts", "2", "--output", out.toString(), "--no-progress");

        assertThat(exit).as(cli.out() + "\n" + cli.err()).isZero();
        assertThat(cli.out()).contains("task        attempts  passed  pass@1  mean reward  infra")
                .contains("debug-off          2       2    1.00         1.00      0")
                .contains("fix-median         2       0    0.00         0.00      0")
                .contains("2 tasks, 4 attempts (4 graded, 0 infra errors); pass@1 0.50, pass@2 0.50, mean reward 0.50");
        assertThat(Files.readAllLines(out.resolve("results.jsonl"))).hasSize(4);
        JsonNode summary = Json.parse(Files.readString(out.resolve("eval.summary.json")));
        assertThat(summary.path("per_task").path("debug-off").path("passed").asInt()).isEqualTo(2);

        assertThat(cli.run("eval", task.toString(), "--model", "fake", "--base-url", llm.baseUrl, "--output", out.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("results.jsonl exists; pass --resume to continue it or --overwrite to replace it");
    }

    @Test
    void keepsThePassingTrajectoriesAndRescoresByTheCurrentVerifierWithoutAModel() throws IOException {
        Path out = dir.resolve("out");
        Path kept = dir.resolve("kept.jsonl");
        assertThat(cli.run("eval", task.toString(), "../examples/tasks/fix-median.task.yaml", "--model", "fake", "--base-url", llm.baseUrl,
                "--attempts", "2", "--output", out.toString(), "--keep-passing", kept.toString(), "--no-progress")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("kept 2 trajectories with reward >= 1.0 in " + kept);
        List<JsonNode> records = Files.readAllLines(kept).stream().map(Json::parse).toList();
        assertThat(records).hasSize(2).allSatisfy(record -> {
            assertThat(record.path("metadata").path("task").asString()).isEqualTo("debug-off");
            assertThat(record.path("messages").get(0).path("role").asString()).isEqualTo("user");
        });
        assertThat(records.stream().map(record -> record.path("metadata").path("seed").asInt())).containsExactlyInAnyOrder(1, 2);

        int requests = llm.requests.size();
        assertThat(cli.run("eval", "--rescore", out.resolve("results.jsonl").toString(), task.toString(), "../examples/tasks/fix-median.task.yaml"))
                .as(cli.err()).isZero();
        assertThat(cli.out()).contains("4 attempts rescored, 0 changed"); // debug-off's 1.0 needs its write replayed
        Files.writeString(task, Files.readString(task).replace("text: '\"debug\": false'", "text: '\"debug\": false, \"verbose\"'"));
        assertThat(cli.run("eval", "--rescore", out.resolve("results.jsonl").toString(), task.toString())).isZero();
        assertThat(cli.out()).contains("debug-off #1: reward 1.00 -> 0.00", "debug-off #2: reward 1.00 -> 0.00",
                "fix-median #1: reward 0.00 -> task not given", "4 attempts rescored, 4 changed");
        assertThat(llm.requests.size()).as("rescoring calls no model").isEqualTo(requests);
    }

    /** Tasks on a served Spindle: the same attempts over HTTP, graded by the server's verifier; the task file stays there. */
    @Test
    void evaluatesTheTasksAServedSpindleOffersOverHttp() throws Exception {
        dev.spindle.env.TaskCatalog catalog = dev.spindle.env.TaskCatalog.load(List.of(task, Path.of("../examples/tasks/fix-median.task.yaml")));
        try (dev.spindle.core.runtime.ToolRuntime runtime = Spindle.runtime(new dev.spindle.core.store.MemoryStore()).build();
                dev.spindle.server.SpindleServer server = dev.spindle.server.SpindleServer.start(runtime,
                        dev.spindle.server.ServerConfig.DEFAULTS.withPort(0).withEventLoops(1).withToken("t0k"),
                        dev.spindle.server.Offerings.NONE.withTasks(catalog))) {
            String endpoint = "http://127.0.0.1:" + server.port();
            Path out = dir.resolve("served");
            assertThat(cli.run("eval", "--spin-endpoint", endpoint, "--token", "t0k", "--model", "fake", "--base-url", llm.baseUrl,
                    "--attempts", "2", "--output", out.toString(), "--no-progress")).as(cli.err()).isZero();
            assertThat(cli.out()).contains("debug-off          2       2    1.00         1.00      0", "fix-median         2       0    0.00         0.00      0");
            JsonNode solved = Files.readAllLines(out.resolve("results.jsonl")).stream().map(Json::parse)
                    .filter(line -> line.path("solved").asBoolean()).findFirst().orElseThrow();
            assertThat(solved.at("/checks/0/passed").asBoolean()).isTrue();
            assertThat(solved.at("/trajectory/metadata/task").asString()).isEqualTo("debug-off");
            assertThat(solved.path("tool_calls").findValuesAsString("name")).containsExactly("list_files", "read_file", "write_file", "read_file");
            assertThat(runtime.sessionCount()).as("each attempt's session is closed on the server").isZero();

            assertThat(cli.run("eval", "debug-off", "--spin-endpoint", endpoint, "--token", "t0k", "--model", "fake", "--base-url", llm.baseUrl,
                    "--output", out.toString(), "--overwrite", "--no-progress")).isZero();
            assertThat(Files.readAllLines(out.resolve("results.jsonl"))).hasSize(1);
            assertThat(cli.run("eval", "nope", "--spin-endpoint", endpoint, "--token", "t0k", "--model", "fake", "--base-url", llm.baseUrl,
                    "--output", out.toString(), "--overwrite", "--no-progress")).isNotZero();
            assertThat(cli.err()).contains("Unknown task 'nope'");
        }
    }

    /** A model server that hangs: the request times out and is retried, the attempt graded; one that always hangs is an infra error. */
    @Test
    void aStalledModelRequestTimesOutAndIsRetriedAndOneThatAlwaysStallsIsAnInfrastructureError() throws IOException {
        Path out = dir.resolve("out");
        llm.stall(1, 10_000);
        assertThat(cli.run("eval", task.toString(), "--model", "fake", "--base-url", llm.baseUrl, "--llm-timeout", "500ms", "--retries", "1",
                "--output", out.toString(), "--no-progress")).as(cli.err()).isZero();
        JsonNode graded = Json.parse(Files.readAllLines(out.resolve("results.jsonl")).getFirst());
        assertThat(graded.path("status").asString()).isEqualTo("graded");
        assertThat(graded.path("reward").asDouble()).isEqualTo(1.0);

        llm.stall(100, 10_000);
        assertThat(cli.run("eval", task.toString(), "--model", "fake", "--base-url", llm.baseUrl, "--llm-timeout", "300ms", "--retries", "0",
                "--infra-retries", "0", "--output", out.toString(), "--overwrite", "--no-progress")).isEqualTo(1);
        JsonNode infra = Json.parse(Files.readAllLines(out.resolve("results.jsonl")).getFirst());
        assertThat(infra.path("status").asString()).isEqualTo("infra_error");
        assertThat(infra.at("/infra_error/cause").asString()).isEqualTo("llm");
        assertThat(cli.out()).contains("0 graded, 1 infra errors");
    }

    /** Kept data is checked by outcome: each kept record replays in its task with the same tool results and the same reward. */
    @Test
    void verifyReplaysKeptTrajectoriesInTheirTasksAndGradesThemAgain() throws IOException {
        Path out = dir.resolve("out");
        Path kept = dir.resolve("kept.jsonl");
        assertThat(cli.run("eval", task.toString(), "--model", "fake", "--base-url", llm.baseUrl, "--attempts", "2", "--output", out.toString(),
                "--keep-passing", kept.toString(), "--no-progress")).as(cli.err()).isZero();
        List<String> records = Files.readAllLines(kept);
        assertThat(records).hasSize(2).allSatisfy(record -> assertThat(Json.parse(record).at("/metadata/reward").asDouble()).isEqualTo(1.0));

        assertThat(cli.run("verify", kept.toString(), "--tasks", dir.toString())).as(cli.out() + cli.err()).isZero();
        assertThat(cli.out()).contains("record 1: ok - 4 calls reproduced", "record 2: ok - 4 calls reproduced", "verified 2 records: 2 ok");

        Path tampered = dir.resolve("tampered.jsonl");
        Files.writeString(tampered, records.get(0).replace("\"debug\\\": false", "\"debug\\\": 0") + "\n"
                + records.get(1).replace("\"task\":\"debug-off\"", "\"task\":\"gone\"") + "\n"
                + records.get(1).replace("\"task\":\"debug-off\",", "") + "\n");
        assertThat(cli.run("verify", tampered.toString(), "--tasks", task.toString())).isEqualTo(1);
        assertThat(cli.out()).contains("record 1: mismatch - call 4 read_file", "record 2: invalid - task gone is not among the tasks given",
                "record 3: invalid - the record names no task (metadata.task): it was not kept by spindle eval");

        Files.writeString(task, Files.readString(task).replace("text: '\"debug\": false'", "text: '\"debug\": false, \"verbose\"'"));
        assertThat(cli.run("verify", kept.toString(), "--tasks", task.toString())).isEqualTo(1);
        assertThat(cli.out()).contains("record 1: mismatch - the calls reproduced, but task debug-off's verifier now gives reward 0.00 where the record was kept with 1.00");
        assertThat(cli.run("verify", kept.toString(), "--tasks", task.toString(), "--config", "x.yaml")).isEqualTo(2);
        assertThat(cli.err()).contains("--tasks and --config: give one");
    }

    @Test
    void rolloutWritesEveryGradedAttemptWithItsRewardAndTheRealResultOfEachStep() throws IOException {
        Path out = dir.resolve("rollouts");
        assertThat(cli.run("rollout", task.toString(), "../examples/tasks/fix-median.task.yaml", "--model", "fake", "--base-url", llm.baseUrl,
                "--attempts", "2", "--temperature", "1.0", "--output", out.toString(), "--no-progress")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("rollouts: 4 in " + out.resolve("rollouts.jsonl"));
        List<JsonNode> rows = Files.readAllLines(out.resolve("rollouts.jsonl")).stream().map(Json::parse).toList();
        assertThat(rows.stream().map(row -> row.path("task").asString() + "=" + row.path("reward").asDouble()))
                .containsExactlyInAnyOrder("debug-off=1.0", "debug-off=1.0", "fix-median=0.0", "fix-median=0.0");
        JsonNode solved = rows.stream().filter(row -> row.path("solved").asBoolean()).findFirst().orElseThrow();
        assertThat(solved.path("steps").findValuesAsString("name")).containsExactly("list_files", "read_file", "write_file", "read_file");
        assertThat(solved.path("steps").get(3).path("result").asString()).contains("\"debug\": false");
        assertThat(solved.path("tools").findValuesAsString("name")).contains("write_file");
        assertThat(solved.path("messages").get(0).path("content").asString()).startsWith("Please turn off debug mode");
        assertThat(llm.requests.getFirst().path("temperature").asDouble()).isEqualTo(1.0);
    }

    /** What trainers do with the outputs: Hugging Face datasets loads each with one schema, although the two tasks' tools and checks differ. */
    @Test
    void theOutputsLoadWithHuggingFaceDatasets() throws Exception {
        String python = System.getenv().getOrDefault("SPINDLE_DATASETS_PYTHON", "python3");
        Prerequisite.require(new ProcessBuilder(python, "-c", "import datasets").start().waitFor() == 0, "SPINDLE_REQUIRE_DATASETS",
                "no Python with Hugging Face datasets here (set SPINDLE_DATASETS_PYTHON)");
        Path out = dir.resolve("out");
        Path kept = dir.resolve("kept.jsonl");
        assertThat(cli.run("rollout", task.toString(), "../examples/tasks/fix-median.task.yaml", "../examples/tasks/orders.task.yaml",
                "--model", "fake", "--base-url", llm.baseUrl, "--attempts", "2", "--output", out.toString(), "--keep-passing", kept.toString(),
                "--no-progress")).as(cli.err()).isZero();
        Process load = new ProcessBuilder(python, "-c", """
                import sys
                from datasets import load_dataset
                for path in sys.argv[1:]:
                    rows = load_dataset("json", data_files=path, split="train")
                    print(path.rsplit("/", 1)[-1], len(rows), ",".join(sorted(rows.column_names)))
                """, out.resolve("results.jsonl").toString(), out.resolve("rollouts.jsonl").toString(), kept.toString())
                .redirectErrorStream(true).start();
        String printed = new String(load.getInputStream().readAllBytes());
        assertThat(load.waitFor()).as(printed).isZero();
        assertThat(printed).contains("results.jsonl 6 attempt,checks,latency_ms,parse_failures,reward,solved,status,steps,task,tokens,tool_calls,trajectory")
                .contains("rollouts.jsonl 6 attempt,messages,reward,seed,solved,steps,task,tools")
                .contains("kept.jsonl 2 agent_context,final_answer,messages,metadata,question,reasoning,tool_context,tools");
    }

    /** A results file is read back by --rescore: a line that is not an attempt's is named, and an endless trajectory is not replayed. */
    @Test
    void rescoreRefusesAResultsFileThatIsNotOneWithTheLineAtFault() throws IOException {
        String graded = "{\"task\":\"debug-off\",\"attempt\":1,\"status\":\"graded\",\"reward\":1.0,\"trajectory\":{\"metadata\":{\"seed\":1},\"messages\":[]}}";
        for (String hostile : List.of("{\"task\": \"debug-off\", \"attempt\": ", "[1, 2]", "\"\u0000\u001b[2J\"", "{\"task\":\"x\",\"attempt\":-3}")) {
            Path results = Files.writeString(dir.resolve("hostile.jsonl"), graded + "\n" + hostile + "\n");
            assertThat(cli.run("eval", "--rescore", results.toString(), task.toString())).as(hostile).isEqualTo(2);
            assertThat(cli.err()).contains(results + ":2: not an attempt's line of results.jsonl");
        }
        StringBuilder flood = new StringBuilder("{\"task\":\"debug-off\",\"attempt\":1,\"status\":\"graded\",\"reward\":1.0,"
                + "\"trajectory\":{\"metadata\":{\"seed\":1},\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[");
        for (int i = 0; i <= 10_000; i++) {
            flood.append(i == 0 ? "" : ",").append("{\"id\":\"c\",\"function\":{\"name\":\"list_files\",\"arguments\":\"{}\"}}");
        }
        Path results = Files.writeString(dir.resolve("flood.jsonl"), flood.append("]}]}}\n"));
        assertThat(cli.run("eval", "--rescore", results.toString(), task.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("an attempt of debug-off records 10001 tool calls; at most 10000 are replayed");
    }

    @Test
    void exits1WhenAttemptsEndInInfrastructureErrors() {
        String dead = "http://127.0.0.1:" + Ports.free() + "/v1";
        int exit = cli.run("eval", task.toString(), "--model", "fake", "--base-url", dead, "--retries", "0", "--infra-retries", "0",
                "--output", dir.resolve("out").toString(), "--no-progress");
        assertThat(exit).as(cli.err()).isEqualTo(1);
        assertThat(cli.out()).contains("1 tasks, 1 attempts (0 graded, 1 infra errors); pass@1 -, mean reward -");
    }

    @Test
    void refusesAnUnknownToolCallFormatOrProvider() {
        assertThat(cli.run("eval", task.toString(), "--model", "m", "--output", "o", "--tool-call-format", "xml")).isEqualTo(2);
        assertThat(cli.err()).contains("--tool-call-format: unknown tool call format 'xml' (known: auto, native, hermes, llama, mistral, json)");
        assertThat(cli.run("eval", task.toString(), "--model", "m", "--output", "o", "--provider", "acme")).isEqualTo(2);
        assertThat(cli.err()).contains("--provider acme: expected one of anthropic, gemini, ollama, openai, openrouter");
    }
}
