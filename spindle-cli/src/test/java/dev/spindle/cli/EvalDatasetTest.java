package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.testing.FakeLlm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code spindle eval --dataset}: a dataset made by {@code generate} is evaluated record by record, each
 * graded against its own replay by the final state, with DeepFabric's static first-call metrics beside.
 */
@Timeout(180)
class EvalDatasetTest {
    @TempDir
    Path dir;

    private final InProcessCli cli = new InProcessCli();
    private FakeLlm llm;
    private Path config;

    @BeforeEach
    void start() throws IOException {
        llm = FakeLlm.start();
        config = Files.writeString(dir.resolve("gen.yaml"), """
                llm: {provider: openai, model: fake, base_url: "%s"}
                topics: {list: ["debug settings in config.json"]}
                generation:
                  conversation: {type: cot, reasoning_style: agent}
                  tools:
                    components: {builtin: [read_file, write_file, list_files]}
                    max_per_query: 5
                    scenario_seed: {files: {config.json: "{\\"debug\\": true}"}}
                output: {num_samples: 1, batch_size: 1, save_as: %s}
                """.formatted(llm.baseUrl, dir.resolve("made.jsonl")));
    }

    @AfterEach
    void stop() {
        llm.close();
    }

    @Test
    void eachRecordIsGradedByTheStateItsOwnReplayReachesAndBesideItByDeepFabricsFirstCallMetrics() throws IOException {
        assertThat(cli.run("generate", config.toString(), "--no-progress")).as(cli.err()).isZero();
        ObjectNode made = (ObjectNode) Json.parse(Files.readString(dir.resolve("made.jsonl")).strip());
        ObjectNode otherContent = made.deepCopy(); // the record wrote another text: the model's state differs
        call(otherContent, "write_file").put("arguments", "{\"file_path\":\"config.json\",\"content\":\"{\\\"debug\\\": \\\"off\\\"}\"}");
        ObjectNode otherPath = made.deepCopy(); // the record began another way, and reached the same state
        ((ObjectNode) otherPath.at("/messages").valueStream().filter(m -> m.has("tool_calls")).findFirst().orElseThrow()
                .path("tool_calls").get(0).path("function")).put("name", "read_file").put("arguments", "{\"file_path\":\"config.json\"}");
        ObjectNode readOnly = made.deepCopy(); // changes nothing: graded by the tools called and an answer
        ((ObjectNode) readOnly.at("/messages").valueStream().filter(m -> m.path("role").asString().equals("user")).findFirst().orElseThrow())
                .put("content", "Which files are there, and what does README.md say?");
        readOnly.set("messages", Json.array().addAll(readOnly.path("messages").valueStream()
                .filter(m -> !m.path("tool_calls").valueStream().anyMatch(c -> c.at("/function/name").asString().equals("write_file"))).toList()));
        Path dataset = Files.writeString(dir.resolve("held-out.jsonl"), String.join("\n", Json.write(made), Json.write(otherContent),
                Json.write(otherPath), Json.write(readOnly)) + "\n");

        Path out = dir.resolve("eval");
        int exit = cli.run("eval", "--dataset", dataset.toString(), "--config", config.toString(), "--model", "fake", "--base-url", llm.baseUrl,
                "--output", out.toString(), "--keep-passing", dir.resolve("kept.jsonl").toString(), "--no-progress");

        assertThat(exit).as(cli.out() + cli.err()).isZero();
        Map<String, JsonNode> lines = Files.readAllLines(out.resolve("results.jsonl")).stream().map(Json::parse)
                .collect(Collectors.toMap(line -> line.path("task").asString(), line -> line));
        assertThat(lines.keySet()).containsExactlyInAnyOrder("record-1", "record-2", "record-3", "record-4");
        assertThat(grade(lines.get("record-1"))).isEqualTo("state 1.0 tool_selection=true parameters=true overall=1.0");
        assertThat(grade(lines.get("record-2"))).isEqualTo("state 0.0 tool_selection=true parameters=true overall=1.0");
        assertThat(grade(lines.get("record-3"))).isEqualTo("state 1.0 tool_selection=false parameters=true overall=0.35");
        assertThat(grade(lines.get("record-4"))).isEqualTo("tool_selection 1.0 tool_selection=true parameters=true overall=1.0");
        assertThat(lines.get("record-4").path("graded_by_note").asString()).contains("change no state");
        assertThat(lines.get("record-1").at("/trajectory/metadata/record").asInt()).isEqualTo(1);
        assertThat(lines.get("record-1").at("/trajectory/messages/0/role").asString()).isIn("system", "user");

        JsonNode summary = Json.parse(Files.readString(out.resolve("eval.summary.json")));
        assertThat(summary.path("graded_by").path("state").asInt()).isEqualTo(3);
        assertThat(summary.path("graded_by").path("tool_selection").asInt()).isEqualTo(1);
        assertThat(summary.at("/deepfabric_metrics/tool_selection_accuracy").asDouble()).isEqualTo(0.75);
        assertThat(summary.at("/deepfabric_metrics/overall_score").asDouble()).isEqualTo((1 + 1 + 0.35 + 1) / 4);
        assertThat(summary.path("mean_reward").asDouble()).isEqualTo(0.75);
        assertThat(cli.out()).contains("""
                record    attempts  passed  pass@1  mean reward  infra
                record-1         1       1    1.00         1.00      0
                record-2         1       0    0.00         0.00      0
                record-3         1       1    1.00         1.00      0
                record-4         1       1    1.00         1.00      0
                4 records, 4 attempts (4 graded, 0 infra errors); pass@1 0.75, mean reward 0.75
                """,
                "graded by state 3, by tool selection 1; DeepFabric's static metrics (first call): tool selection 0.75, parameters 1.00, executable 0.75, overall 0.84");

        assertThat(cli.run("verify", dir.resolve("kept.jsonl").toString(), "--config", config.toString())).as(cli.out()).isZero();
        assertThat(cli.out()).contains("verified 3 records: 3 ok");
    }

    @Test
    void aDatasetNeedsItsConfigAndTheToolsInThisProcessAndEveryLineARecord() throws IOException {
        Path dataset = Files.writeString(dir.resolve("held-out.jsonl"), "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\nnot json\n");
        String[] base = {"eval", "--dataset", dataset.toString(), "--model", "fake", "--base-url", llm.baseUrl, "--output", dir.resolve("o").toString()};
        assertThat(cli.run(base)).isEqualTo(2);
        assertThat(cli.err()).contains("give tasks, or --dataset FILE with --config CONFIG");
        assertThat(cli.run(concat(base, "--config", config.toString()))).isEqualTo(2);
        assertThat(cli.err()).contains("held-out.jsonl: line 2 is not JSON");
        Files.writeString(config, Files.readString(config).replace("    max_per_query: 5", "    max_per_query: 5\n    spin_endpoint: http://127.0.0.1:9"));
        assertThat(cli.run(concat(base, "--config", config.toString()))).isEqualTo(2);
        assertThat(cli.err()).contains("eval --dataset grades by the sessions' state");
        assertThat(cli.run("eval", "--dataset", dataset.toString(), "--config", config.toString(), "examples/tasks")).isEqualTo(2);
    }

    private static ObjectNode call(ObjectNode record, String name) {
        return (ObjectNode) record.path("messages").valueStream().flatMap(m -> m.path("tool_calls").valueStream())
                .filter(c -> c.at("/function/name").asString().equals(name)).findFirst().orElseThrow().path("function");
    }

    private static String grade(JsonNode line) {
        JsonNode metrics = line.path("deepfabric");
        return line.path("graded_by").asString() + " " + line.path("reward").asDouble() + " tool_selection=" + metrics.path("tool_selection").asBoolean()
                + " parameters=" + metrics.path("parameters").asBoolean() + " overall=" + metrics.path("overall").asDouble();
    }

    private static String[] concat(String[] base, String... more) {
        return java.util.stream.Stream.concat(List.of(base).stream(), List.of(more).stream()).toArray(String[]::new);
    }
}
