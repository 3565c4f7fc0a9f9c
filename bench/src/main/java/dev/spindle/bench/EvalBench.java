package dev.spindle.bench;

import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.env.Task;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.eval.EvalRun;
import dev.spindle.eval.EvalSummary;
import dev.spindle.generator.Shard;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.generator.tools.TextToolCalls;
import dev.spindle.vfs.VfsComponent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The eval runner's throughput and its own cost per step, with an in-process model that answers after a
 * fixed latency (the generator bench's scripted agent: four tool calls in four replies per attempt), beside
 * a raw in-process tool call measured in the same run.
 * <pre>java -cp bench/target/benchmarks.jar dev.spindle.bench.EvalBench [attempts] [llm-latency-ms]</pre>
 */
public final class EvalBench {
    private static final int REPLIES = 4;
    private static final int CALLS = 4;

    private EvalBench() {}

    public static void main(String[] args) throws Exception {
        int attempts = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        long latency = args.length > 1 ? Long.parseLong(args[1]) : 50;
        Path dir = Files.createTempDirectory("spindle-eval-bench");
        Path taskFile = Files.writeString(dir.resolve("debug-off.task.yaml"), """
                id: debug-off
                instruction: Please turn off debug mode in config.json and check that it worked.
                seed: {files: {config.json: '{"debug": true}', README.md: "# bench"}}
                tools: [list_files, read_file, write_file]
                verifier:
                  - contains: config.json
                    text: '"debug": false'
                """);
        List<Task> tasks = TaskCatalog.load(taskFile).tasks();
        try (ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new VfsComponent()).build()) {
            double rawMicros = rawCall(runtime);
            System.out.printf("model latency %d ms per reply, %d replies and %d tool calls per attempt; raw read_file in process: %.1f us%n",
                    latency, REPLIES, CALLS, rawMicros);
            run(runtime, tasks, dir.resolve("warm"), new ScriptedAgent(0), 8, 2000); // warm-up: the JIT, the session and trace pools
            for (int concurrency : new int[] {1, 16, 64}) {
                int n = concurrency == 1 ? Math.max(8, attempts / 16) : attempts;
                // the same run with a model that answers at once gives the runner's own cost per step
                Result instant = run(runtime, tasks, dir.resolve("i" + concurrency), new ScriptedAgent(0), concurrency, n);
                Result timed = run(runtime, tasks, dir.resolve("t" + concurrency), new ScriptedAgent(latency), concurrency, n);
                double perStep = instant.seconds * 1e6 / n / (REPLIES + CALLS);
                System.out.printf("concurrency %2d: %5d attempts, %7.1f attempts/s (%7.0f per hour) with the %d ms model, %7.1f/s with an instant one; "
                                + "heap growth %6.1f KiB per attempt in flight; all solved: %s%s%n",
                        concurrency, n, n / timed.seconds, n / timed.seconds * 3600, latency, n / instant.seconds,
                        Math.max(0, timed.peakHeap - timed.baseHeap) / 1024.0 / concurrency, timed.allSolved && instant.allSolved,
                        concurrency == 1 ? String.format("; the runner's own cost %.0f us per step (session, loop, verifier, results line), %.0f us "
                                + "of it beyond a raw call", perStep, perStep - rawMicros) : "");
            }
        }
    }

    private static double rawCall(ToolRuntime runtime) {
        String session = runtime.openSession(new dev.spindle.core.SessionSpec(null, java.util.Map.of("config.json", "{\"debug\": true}"), null, null)).sessionId();
        ToolCall call = new ToolCall(session, "vfs", "read_file", Json.object().put("file_path", "config.json"));
        for (int i = 0; i < 20_000; i++) {
            runtime.execute(call);
        }
        int n = 50_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            runtime.execute(call);
        }
        double micros = (System.nanoTime() - start) / 1e3 / n;
        runtime.closeSession(session);
        return micros;
    }

    private record Result(double seconds, long baseHeap, long peakHeap, boolean allSolved) {}

    private static Result run(ToolRuntime runtime, List<Task> tasks, Path out, ScriptedAgent model, int concurrency, int attempts) {
        GeneratorConfig.Llm llm = new GeneratorConfig.Llm("openai", "scripted", null, null, null);
        EvalRun.Options options = new EvalRun.Options(attempts, concurrency, null, Shard.WHOLE, false, true, 0, TextToolCalls.Format.AUTO, null, false);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long base = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(base);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max), 0, 5, TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        EvalSummary summary = new EvalRun(model, llm, options, line -> { }).run(EvalRun.tasks(tasks, new TaskEnvironment(runtime), runtime), out);
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.shutdownNow();
        return new Result(seconds, base, peak.get(), summary.toJson().path("pass_at_k").path("1").asDouble() == 1.0);
    }
}
