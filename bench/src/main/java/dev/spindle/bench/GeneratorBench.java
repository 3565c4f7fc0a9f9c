package dev.spindle.bench;

import dev.langchain4j.model.chat.ChatModel;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.generator.Generator;
import dev.spindle.generator.Summary;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.vfs.VfsComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Generator overhead and throughput with an in-process LLM that answers instantly (or after a fixed
 * latency): each sample is a question and four agent steps (four real VFS calls; the last step is the answer).
 * <pre>java -cp bench/target/benchmarks.jar dev.spindle.bench.GeneratorBench [samples] [llm-latency-ms]</pre>
 */
public final class GeneratorBench {
    private GeneratorBench() {}

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        long latency = args.length > 1 ? Long.parseLong(args[1]) : 0;
        Path dir = Files.createTempDirectory("spindle-generator-bench");
        ChatModel model = new ScriptedAgent(latency);
        run(dir, model, 8, Math.max(50, samples / 4)); // warm-up
        System.out.printf("LLM latency %d ms per call, %d samples per run, 5 LLM calls and 4 tool calls per sample%n", latency, samples);
        for (int concurrency : new int[] {1, 8, 32}) {
            long start = System.nanoTime();
            Summary summary = run(dir, model, concurrency, samples);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("concurrency %2d: %6d written, %8.1f samples/s, %7.3f ms wall per sample%n",
                    concurrency, summary.written(), summary.written() / seconds, seconds * 1000 / samples);
        }
    }

    private static Summary run(Path dir, ChatModel model, int concurrency, int samples) throws Exception {
        Path config = dir.resolve("bench.yaml");
        Files.writeString(config, """
                topics: {list: ["debug settings in config.json"]}
                generation:
                  conversation: {type: cot, reasoning_style: agent}
                  tools:
                    components: {builtin: [list_files, read_file, write_file]}
                    max_per_query: 6
                    scenario_seed: {files: {config.json: "{\\"debug\\": true}", README.md: "# bench"}}
                output: {num_samples: %d, save_as: "%s"}
                """.formatted(samples, dir.resolve("bench.jsonl")));
        try (ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new VfsComponent()).build()) {
            Generator generator = Generator.prepare(GeneratorConfig.load(config), config.toString(), runtime,
                    new Generator.Options(concurrency, false, true, false, Duration.ofSeconds(1)), Map.of(), llm -> model, line -> {});
            return generator.run();
        }
    }
}
