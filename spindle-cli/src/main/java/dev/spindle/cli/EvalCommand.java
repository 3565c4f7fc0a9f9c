package dev.spindle.cli;

import dev.langchain4j.model.chat.ChatModel;
import dev.spindle.client.SpindleClient;
import dev.spindle.core.ConfigException;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.eval.EvalRun;
import dev.spindle.eval.EvalSummary;
import dev.spindle.eval.Exports;
import dev.spindle.eval.Rescore;
import dev.spindle.generator.SeededSessions;
import dev.spindle.generator.Shard;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.generator.llm.Providers;
import dev.spindle.generator.llm.RetryingHttpClient;
import dev.spindle.generator.tools.TextToolCalls;
import dev.spindle.generator.tools.ToolSetup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code spindle eval TASK... --model M}: a model against tasks in real sessions, graded by their verifiers (docs/eval.md). */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a model against tasks (*.task.yaml), each attempt in a fresh session seeded as the task says.",
                "Each attempt is graded by its task's verifier; the results and a summary go to --output.",
                "Exit 0 when the run completes (whatever the model scored), 1 when attempts ended in infrastructure errors.",
                "With --dataset, each record of a dataset is attempted instead and graded against its own replay.",
                "Exit 2 when the tasks or options are invalid. The formats are in docs/eval.md."})
class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "TASK", description = "A task file, or a folder of them (searched recursively); with --spin-endpoint, a task id.")
    List<Path> tasks;

    @Option(names = "--spin-endpoint", paramLabel = "URL", description = "Attempt the tasks a served Spindle offers (serve --tasks), all of them unless TASK ids are given.")
    String spinEndpoint;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:SPINDLE_TOKEN}", description = "Bearer token for --spin-endpoint (default: $SPINDLE_TOKEN).")
    String token;

    @Option(names = "--dataset", paramLabel = "FILE", description = "Evaluate on a dataset's records instead of tasks, each graded against its own replay (needs --config).")
    Path dataset;

    @Option(names = "--config", paramLabel = "CONFIG", description = "With --dataset: the generator config that made it (seed files, tools, mock files).")
    Path config;

    @Option(names = "--provider", defaultValue = "openai", paramLabel = "NAME",
            description = "openai (any OpenAI-compatible server with --base-url: vLLM, LM Studio), anthropic, gemini, ollama or openrouter (default: ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--model", paramLabel = "NAME", description = "The model to evaluate (required unless --rescore).")
    String model;

    @Option(names = "--base-url", paramLabel = "URL", description = "The provider's API address (for OpenAI-compatible servers).")
    String baseUrl;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature (default: the provider's).")
    Double temperature;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Most tokens per model reply (default: the provider's).")
    Integer maxTokens;

    @Option(names = "--attempts", defaultValue = "1", paramLabel = "K", description = "Attempts per task; pass@1 to pass@K are reported (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--concurrency", defaultValue = "4", paramLabel = "N", description = "Attempts in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--max-steps", paramLabel = "N", description = "Tool calls an attempt may make (default: each task's max_steps).")
    Integer maxSteps;

    @Option(names = "--output", paramLabel = "FOLDER", description = "Where results.jsonl and eval.summary.json go (required unless --rescore).")
    Path output;

    @Option(names = "--keep-passing", paramLabel = "FILE", description = "Also write the passing trajectories, as a DeepFabric dataset, to FILE.")
    Path keepPassing;

    @Option(names = "--min-reward", defaultValue = "1.0", paramLabel = "R", description = "The reward --keep-passing keeps from (default: ${DEFAULT-VALUE}).")
    double minReward;

    @Option(names = "--rescore", paramLabel = "RESULTS", description = "Replay a results.jsonl's attempts (no model) and grade them by the tasks' current verifiers.")
    Path rescore;

    @Option(names = "--resume", description = "Continue a stopped run: keep its graded attempts, make the missing ones and retry infrastructure errors.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace the results in --output if there are any.")
    boolean overwrite;

    @Option(names = "--shard", defaultValue = "1/1", paramLabel = "K/N", description = "Run only the K-th of N parts (tasks i with i %% N = K-1).")
    String shard;

    @Option(names = "--tool-call-format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "Tool calls read from replies: native (the provider's field only), hermes, llama, mistral, json, or auto (native and every written form; default).")
    String toolCallFormat;

    @Option(names = "--system-prompt", paramLabel = "TEXT", description = "A system message for every attempt.")
    String systemPrompt;

    @Option(names = "--retries", defaultValue = "3", paramLabel = "N", description = "Retries of a failed LLM request (429, 5xx, timeouts; default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--llm-timeout", defaultValue = "120s", paramLabel = "DURATION", converter = Sizes.DurationConverter.class,
            description = "How long one LLM request may take before it is retried (default: ${DEFAULT-VALUE}).")
    Duration llmTimeout;

    @Option(names = "--infra-retries", defaultValue = "2", paramLabel = "N",
            description = "Further tries of an attempt the infrastructure broke before it is recorded as infra_error (default: ${DEFAULT-VALUE}).")
    int infraRetries;

    @Option(names = "--no-progress", description = "No progress bar (it is drawn on stderr).")
    boolean noProgress;

    @Mixin
    TaskRuntimeOptions runtimeOptions;

    @Option(names = {"-v", "--verbose"}, description = "Log more, on stderr.")
    boolean verbose;

    @Override
    public Integer call() {
        Logging.configure(verbose);
        if (!GeneratorConfig.PROVIDERS.contains(provider)) {
            throw new ConfigException("eval", List.of("--provider " + provider + ": expected one of " + String.join(", ", GeneratorConfig.PROVIDERS.stream().sorted().toList())));
        }
        TextToolCalls.Format format;
        try {
            format = TextToolCalls.Format.parse(toolCallFormat);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("eval", List.of("--tool-call-format: " + e.getMessage()));
        }
        EvalRun.Options options = new EvalRun.Options(attempts, concurrency, maxSteps, Shard.parse(shard), resume, overwrite, infraRetries, format,
                systemPrompt, !noProgress);
        List<Path> taskPaths = tasks == null ? List.of() : tasks;
        boolean byDataset = dataset != null;
        boolean served = spinEndpoint != null;
        if (served && (byDataset || rescore != null)) {
            throw new ConfigException("eval", List.of("--spin-endpoint attempts the server's tasks; --dataset and --rescore run here"));
        }
        if (!served && byDataset == !taskPaths.isEmpty() || byDataset != (config != null) || byDataset && rescore != null) {
            throw new ConfigException("eval", List.of("give tasks, or --dataset FILE with --config CONFIG (--rescore takes tasks)"));
        }
        GeneratorConfig.Llm llm = new GeneratorConfig.Llm(provider, model, temperature, maxTokens, baseUrl);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (rescore != null) {
            try (ToolRuntime runtime = runtimeOptions.open("eval")) {
                out.print(Rescore.run(Exports.graded(rescore), TaskCatalog.load(taskPaths), new TaskEnvironment(runtime), runtime).text());
            }
            out.flush();
            return 0;
        }
        if (model == null || output == null) {
            throw new ConfigException("eval", List.of("--model and --output are required (unless --rescore)"));
        }
        ChatModel chat = Providers.create(llm, new RetryingHttpClient.RetryPolicy(retries, Duration.ofSeconds(1), new LongAdder()), llmTimeout, System.getenv(), "eval");
        EvalSummary summary;
        if (served) {
            try (SpindleClient client = token == null || token.isBlank() ? SpindleClient.connect(spinEndpoint) : SpindleClient.connect(spinEndpoint).withToken(token)) {
                summary = new EvalRun(chat, llm, options, progressLog(err)).run(EvalRun.servedTasks(client, taskPaths.stream().map(Path::toString).toList()), output);
            }
        } else {
            try (ToolRuntime runtime = runtimeOptions.open("eval")) {
                List<EvalRun.Item> items = dataset != null ? records(runtime) : EvalRun.tasks(TaskCatalog.load(taskPaths).tasks(), new TaskEnvironment(runtime), runtime);
                summary = new EvalRun(chat, llm, options, progressLog(err)).run(items, output);
            }
        }
        out.print(summary.table());
        out.printf("results: %s%n", output.resolve("results.jsonl"));
        List<JsonNode> graded = Exports.graded(output.resolve("results.jsonl"));
        if (keepPassing != null) {
            out.printf("kept %d trajectories with reward >= %s in %s%n", Exports.keepPassing(graded, minReward, keepPassing), minReward, keepPassing);
        }
        written(graded, out);
        out.flush();
        return summary.toJson().get("infra_errors").asInt() == 0 ? 0 : 1;
    }

    private static Consumer<String> progressLog(PrintWriter err) {
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    /** The dataset's records, their sessions started and their tools run as the config that made them says, in this process. */
    private List<EvalRun.Item> records(ToolRuntime runtime) {
        GeneratorConfig.Tools tools = VerifyCommand.toolsOf(config);
        if (tools == null) {
            throw new ConfigException(config.toString(), List.of("generation.tools: --dataset needs the config of an agent-mode dataset (its tools)"));
        }
        if (!tools.spinEndpoints().isEmpty()) {
            throw new ConfigException(config.toString(), List.of("generation.tools.spin_endpoint: eval --dataset grades by the sessions' state,"
                    + " which it reads in this process; remove spin_endpoint to run the tools here"));
        }
        ToolSetup setup = ToolSetup.prepare(tools, runtime, config.toString());
        return EvalRun.records(dataset, new SeededSessions(runtime, setup.runner(), setup.tools(), setup.seed()), setup.tools(),
                tools.maxAgentSteps(), runtime::stateDigest);
    }

    /** What a command built on eval writes of the graded attempts after the run; eval itself writes nothing more. */
    void written(List<JsonNode> graded, PrintWriter out) {
    }
}
