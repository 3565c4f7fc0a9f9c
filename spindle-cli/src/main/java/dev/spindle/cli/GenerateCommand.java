package dev.spindle.cli;

import dev.spindle.core.ToolService;
import dev.spindle.generator.Generator;
import dev.spindle.generator.Shard;
import dev.spindle.generator.Summary;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.generator.config.GeneratorConfig.OptionOverride;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spindle generate CONFIG}: a JSONL dataset of tool-using conversations whose every tool
 * message is a real execution. Exit 0 when every requested sample was written, 1 when some failed,
 * 2 when the config cannot run (a {@code ConfigException}, raised before any LLM call).
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a dataset from a DeepFabric-style YAML config, executing every tool call for real.",
                "Tools run in this process unless generation.tools.spin_endpoint names a running spindle serve."})
final class GenerateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONFIG", description = "The YAML config (DeepFabric's format).")
    Path config;

    @Option(names = "--concurrency", paramLabel = "N", description = "Samples in flight (default: output.batch_size).")
    Integer concurrency;

    @Option(names = "--resume", description = "Continue an interrupted run: keep the records already in the dataset, make the missing ones.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace output.save_as if it exists.")
    boolean overwrite;

    @Option(names = "--no-progress", description = "No progress bar (it is drawn on stderr).")
    boolean noProgress;

    @Option(names = "--check", description = "Check the config, tools, seed, API key and output file, and make one cheap (one-token) request to each model; then stop.")
    boolean check;

    @Option(names = "--topics-only", description = "Make (or load) the topics, save them to topics.save_as, list them, and stop.")
    boolean topicsOnly;

    @Option(names = "--shard", paramLabel = "K/N", description = "Make only the K-th of N parts of the run (samples i with i %% N = K-1); join them with spindle merge.")
    String shard;

    @Option(names = "--num-samples", paramLabel = "N", description = "Override output.num_samples (a number, auto, or a percentage).")
    String numSamples;

    @Option(names = "--output", paramLabel = "FILE", description = "Override output.save_as.")
    String output;

    @Option(names = "--provider", paramLabel = "NAME", description = "Override the LLM provider of every section.")
    String provider;

    @Option(names = "--model", paramLabel = "NAME", description = "Override the LLM model of every section.")
    String model;

    @Option(names = "--base-url", paramLabel = "URL", description = "Override the LLM base URL of every section.")
    String baseUrl;

    @Mixin
    ToolServiceOptions toolService;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Shard part = shard == null ? Shard.WHOLE : Shard.parse(shard);
        List<OptionOverride> overrides = new ArrayList<>();
        put(overrides, "--num-samples", "output.num_samples", numSamples);
        put(overrides, "--output", "output.save_as", output);
        put(overrides, "--provider", "llm.provider", provider);
        put(overrides, "--model", "llm.model", model);
        put(overrides, "--base-url", "llm.base_url", baseUrl);
        GeneratorConfig loaded = GeneratorConfig.load(config, overrides);
        try (ToolService service = toolService.open(loaded.generation().tools())) {
            // --topics-only never touches the dataset, so an existing one is no reason to stop
            Generator.Options options = new Generator.Options(concurrency != null ? concurrency : loaded.output().batchSize(),
                    resume, overwrite || topicsOnly, !noProgress, Duration.ofSeconds(1),
                    part);
            Generator generator = Generator.prepare(loaded, config.toString(), service, options, System.getenv(), null, System.err::println);
            if (check) {
                System.out.println(generator.describe());
                generator.checkModels().forEach(System.out::println);
                return 0;
            }
            if (topicsOnly) {
                generator.topics().forEach(topic -> System.out.println(topic.text()));
                return 0;
            }
            CountDownLatch reported = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                generator.stop(Duration.ofSeconds(15));
                awaitQuietly(reported); // the JVM exits when this hook returns: let the summary be printed first
            }));
            Summary summary;
            try {
                summary = generator.run();
                System.err.println(summary.render());
                if (summary.interrupted()) {
                    System.err.println("spindle: stopped; the records written so far are kept. To continue: " + resumeCommand());
                }
            } finally {
                reported.countDown();
            }
            return summary.complete() ? 0 : 1;
        }
    }

    /** This command line with {@code --resume} instead of {@code --overwrite}, quoted for a POSIX shell. */
    private String resumeCommand() {
        List<String> words = new ArrayList<>(List.of("./spindle"));
        for (String arg : spec.commandLine().getParseResult().originalArgs()) {
            if (!arg.equals("--overwrite") && !arg.equals("--resume")) {
                words.add(arg.matches("[\\w@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
            }
        }
        words.add("--resume");
        return String.join(" ", words);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void put(List<OptionOverride> overrides, String option, String path, String value) {
        if (value != null) {
            overrides.add(new OptionOverride(option, path, value));
        }
    }
}
