package dev.spindle.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.files.SeedSpec;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.generator.config.GeneratorConfig.OptionOverride;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GeneratorConfigTest {
    @TempDir
    Path dir;

    static Stream<Path> deepfabricExamples() throws URISyntaxException, IOException {
        Path folder = Path.of(GeneratorConfigTest.class.getResource("/deepfabric-examples").toURI());
        return Files.list(folder).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest
    @MethodSource("deepfabricExamples")
    void deepfabricsOwnExamplesLoadUnchanged(Path example) {
        GeneratorConfig config = GeneratorConfig.load(example);

        assertThat(config.output().saveAs()).isNotNull();
        assertThat(config.generation().llm().provider()).isIn(GeneratorConfig.PROVIDERS);
    }

    @Test
    void theKeysDeepfabricDropsSilentlyAreReportedWithTheirPaths() throws URISyntaxException {
        Path folder = Path.of(GeneratorConfigTest.class.getResource("/deepfabric-examples").toURI());

        GeneratorConfig agentTools = GeneratorConfig.load(folder.resolve("agent-tools.yaml"));
        GeneratorConfig complete = GeneratorConfig.load(folder.resolve("complete.yaml"));
        GeneratorConfig blender = GeneratorConfig.load(folder.resolve("spin-blender.yaml"));

        assertThat(agentTools.warnings()).contains("line 59: generation.scenario_seed: unknown key, ignored; it belongs at generation.tools.scenario_seed");
        assertThat(agentTools.generation().tools().seed().isEmpty()).isTrue();
        assertThat(complete.warnings()).anyMatch(w -> w.matches("line \\d+: output\\.formatters: ignored: DeepFabric removed formatters.*"));
        assertThat(complete.warnings()).anyMatch(w -> w.matches("line \\d+: huggingface: ignored.*"));
        assertThat(blender.warnings()).anyMatch(w -> w.matches("line \\d+: topics\\.rate_limit: ignored.*"));
    }

    @Test
    void valuesAreReadWithInheritanceAndDefaults() throws URISyntaxException {
        Path folder = Path.of(GeneratorConfigTest.class.getResource("/deepfabric-examples").toURI());

        GeneratorConfig config = GeneratorConfig.load(folder.resolve("spin-vfs-tools.yaml"));

        GeneratorConfig.Tools tools = config.generation().tools();
        assertThat(tools.components()).containsEntry("builtin", List.of("read_file", "write_file", "list_files"));
        assertThat(tools.strict()).isFalse();
        assertThat(tools.maxPerQuery()).isEqualTo(3);
        assertThat(tools.seed().files()).containsKeys("main.py", "config.json");
        assertThat(tools.stepMode()).isEqualTo("native");
        assertThat(config.generation().llm()).isEqualTo(new GeneratorConfig.Llm("gemini", "gemini-2.5-flash-lite", 0.7, 2000, null));
        assertThat(config.topics().llm().temperature()).isEqualTo(0.8);
        assertThat(config.output().samples(10)).isEqualTo(3);
        assertThat(config.generation().agentMode()).isTrue();
    }

    @Test
    void wrongValuesFailWithEveryKeyPathAtOnce() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                llm: {provider: openia}
                topics: {prompt: x, depth: 99}
                generation:
                  conversation: {type: cot}
                  tools:
                    max_per_query: many
                    code_timeout_ms: 60000
                    components: {builtin: read_file}
                    scenario_seed: {files: {a.txt: [1, 2]}, ref: main}
                output: {num_samples: -3, batch_size: 0}
                """);

        assertThatThrownBy(() -> GeneratorConfig.load(file)).isInstanceOf(ConfigException.class).satisfies(e -> assertThat(((ConfigException) e).problems())
                .contains("line 1: llm.provider: must be one of " + String.join(", ", GeneratorConfig.PROVIDERS) + ", not 'openia'",
                        "line 2: topics.depth: must be a whole number from 1 to 10, not 99",
                        "line 4: generation.conversation.reasoning_style: is required when type is cot (freetext or agent)",
                        "line 6: generation.tools.max_per_query: must be a whole number from 1 to 100, not 'many'",
                        "line 7: generation.tools.code_timeout_ms: must be a whole number from 1 to 30000, not 60000",
                        "line 8: generation.tools.components.builtin: must be a list of names, not text",
                        "line 9: generation.tools.scenario_seed.files.a.txt: must be text (the file's content), not a list",
                        "line 9: generation.tools.scenario_seed.ref: needs git (ref is a branch or tag of that repository)",
                        "line 10: output.num_samples: must be a positive number, auto, or a percentage like 50%",
                        "line 10: output.batch_size: must be a whole number from 1 to 1000, not 0",
                        "line 10: output.save_as: is required"));
    }

    @Test
    void aScenarioSeedNamesOneSourceAsEverySeedDoes() throws IOException {
        Path file = dir.resolve("seed.yaml");
        Files.writeString(file, """
                topics: {prompt: x}
                generation:
                  tools:
                    components: {builtin: [read_file]}
                    scenario_seed: {dir: project, git: https://example.invalid/r.git}
                output: {save_as: out.jsonl}
                """);
        assertThatThrownBy(() -> GeneratorConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 5: generation.tools.scenario_seed: give one source, not dir and git");
        Files.writeString(file, Files.readString(file).replace("{dir: project, git: https://example.invalid/r.git}", "{snapshot: s1}"));
        assertThatThrownBy(() -> GeneratorConfig.load(file)).hasMessageContaining("line 5: generation.tools.scenario_seed.snapshot: a generation run seeds from files");
        Files.writeString(file, Files.readString(file).replace("{snapshot: s1}", "{dir: project}"));
        assertThat(GeneratorConfig.load(file).generation().tools().seed().source()).isEqualTo(new SeedSpec.Folder(dir.resolve("project").toString()));
    }

    @Test
    void theCodeTimeoutIsReadWhenGivenAndNullOtherwise() throws IOException {
        Path file = dir.resolve("timed.yaml");
        Files.writeString(file, "topics: {prompt: x}\ngeneration: {tools: {components: {code: [run_python]}, code_timeout_ms: 12000}}\noutput: {save_as: x}\n");
        assertThat(GeneratorConfig.load(file).generation().tools().codeTimeoutMs()).isEqualTo(12_000);
        Files.writeString(file, "topics: {prompt: x}\ngeneration: {tools: {components: {code: [run_python]}}}\noutput: {save_as: x}\n");
        assertThat(GeneratorConfig.load(file).generation().tools().codeTimeoutMs()).isNull();
    }

    @Test
    void typosGetASuggestionAndOldFormatsAMigrationHint() throws IOException {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, """
                topics: {prompt: x, degre: 3}
                generation: {tools: {components: {builtin: []}, max_agent_step: 3}}
                output: {save_as: out.jsonl}
                """);
        assertThat(GeneratorConfig.load(file).warnings()).containsExactly(
                "line 1: topics.degre: unknown key, ignored; did you mean 'degree'?",
                "line 2: generation.tools.max_agent_step: unknown key, ignored; did you mean 'max_agent_steps'?");

        Files.writeString(file, "data_engine: {}\ngeneration: {}\noutput: {save_as: x}\ntopics: {prompt: x}\n");
        assertThatThrownBy(() -> GeneratorConfig.load(file)).hasMessageContaining("data_engine: is DeepFabric's old config format");
        Files.writeString(file, "topics: [\n");
        assertThatThrownBy(() -> GeneratorConfig.load(file)).hasMessageContaining("is not valid YAML");
    }

    @Test
    void commandLineOverridesAreCheckedLikeTheFilesOwnKeys() throws URISyntaxException {
        Path example = Path.of(GeneratorConfigTest.class.getResource("/deepfabric-examples/spin-vfs-tools.yaml").toURI());

        GeneratorConfig config = GeneratorConfig.load(example, List.of(new OptionOverride("--provider", "llm.provider", "ollama"),
                new OptionOverride("--model", "llm.model", "qwen3:8b"), new OptionOverride("--num-samples", "output.num_samples", "7"),
                new OptionOverride("--output", "output.save_as", "x.jsonl")));

        assertThat(config.generation().llm().provider()).isEqualTo("ollama");
        assertThat(config.topics().llm().model()).isEqualTo("qwen3:8b");
        assertThat(config.generation().llm().temperature()).as("what is not overridden stays").isEqualTo(0.7);
        assertThat(config.output().samples(100)).isEqualTo(7);
        assertThat(config.output().saveAs()).isEqualTo(Path.of("x.jsonl"));
        assertThatThrownBy(() -> GeneratorConfig.load(example, List.of(new OptionOverride("--num-samples", "output.num_samples", "lots"))))
                .isInstanceOf(ConfigException.class).hasMessageEndingWith(": --num-samples: must be a positive number, auto, or a percentage like 50%");
        assertThatThrownBy(() -> GeneratorConfig.load(example, List.of(new OptionOverride("--provider", "llm.provider", "openia"))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString().startsWith("--provider: "));
    }

    @Test
    void aTopLevelMaxTokensReachesEverySectionThatDoesNotSetItsOwn() {
        GeneratorConfig config = GeneratorConfig.parse(Json.parse("""
                {"llm": {"provider": "openai", "model": "m", "max_tokens": 321},
                 "topics": {"list": ["a"]},
                 "generation": {"llm": {"max_tokens": 55}},
                 "output": {"save_as": "o.jsonl"}}"""), Path.of("."), "c.yaml");

        assertThat(config.topics().llm().maxTokens()).isEqualTo(321);
        assertThat(config.generation().llm().maxTokens()).isEqualTo(55);
        GeneratorConfig inherited = GeneratorConfig.parse(Json.parse("""
                {"llm": {"max_tokens": 321}, "topics": {"list": ["a"]}, "generation": {}, "output": {"save_as": "o.jsonl"}}"""), Path.of("."), "c.yaml");
        assertThat(inherited.generation().llm().maxTokens()).isEqualTo(321);
    }
}
