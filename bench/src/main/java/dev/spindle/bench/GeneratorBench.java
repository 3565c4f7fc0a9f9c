package dev.spindle.bench;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.spindle.core.Json;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.generator.Generator;
import dev.spindle.generator.Summary;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.vfs.VfsComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    /** The agent of the tests' fake LLM, in process: list and read, rewrite with debug off, read back, answer. */
    private static final class ScriptedAgent implements ChatModel {
        private final long latency;

        ScriptedAgent(long latency) {
            this.latency = latency;
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            if (latency > 0) {
                try {
                    Thread.sleep(latency);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<ChatMessage> messages = request.messages();
            List<ToolExecutionResultMessage> results = messages.stream().filter(m -> m instanceof ToolExecutionResultMessage)
                    .map(m -> (ToolExecutionResultMessage) m).toList();
            AiMessage answer;
            if (request.toolSpecifications() == null || request.toolSpecifications().isEmpty()) {
                answer = AiMessage.from("Please turn off debug mode in config.json and check that it worked.");
            } else {
                answer = switch (results.size()) {
                    case 0 -> AiMessage.from(call("list_files", "{}"), call("read_file", "{\"file_path\":\"config.json\"}"));
                    case 2 -> AiMessage.from(call("write_file", Json.write(Json.object().put("file_path", "config.json")
                            .put("content", results.get(1).text().replace("true", "false")))));
                    case 3 -> AiMessage.from(call("read_file", "{\"file_path\":\"config.json\"}"));
                    default -> AiMessage.from("config.json now has debug set to false; I read it back to confirm.");
                };
            }
            return ChatResponse.builder().aiMessage(answer).tokenUsage(new TokenUsage(100, 20)).build();
        }

        private static ToolExecutionRequest call(String name, String arguments) {
            return ToolExecutionRequest.builder().id("call_" + name).name(name).arguments(arguments).build();
        }
    }
}
