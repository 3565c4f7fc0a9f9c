package dev.spindle.cli;

import dev.spindle.core.ToolService;
import dev.spindle.generator.Generator;
import dev.spindle.generator.Summary;
import dev.spindle.generator.config.ConfigException;
import dev.spindle.generator.config.GeneratorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code spindle generate CONFIG}: a JSONL dataset of tool-using conversations whose every tool
 * message is a real execution. Exit 0 when every requested sample was written, 1 when some failed,
 * 2 when the config cannot run (checked before any LLM call).
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a dataset from a DeepFabric-style YAML config, executing every tool call for real.",
                "Tools run in this process unless generation.tools.spin_endpoint names a running spindle serve."})
final class GenerateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONFIG", description = "The YAML config (DeepFabric's format).")
    Path config;

    @Option(names = "--concurrency", paramLabel = "N", description = "Samples in flight (default: output.batch_size).")
    Integer concurrency;

    @Option(names = "--resume", description = "Continue an interrupted run: keep the records in output.save_as, make the missing ones.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace output.save_as if it exists.")
    boolean overwrite;

    @Option(names = "--no-progress", description = "No progress bar (it is drawn on stderr).")
    boolean noProgress;

    @Mixin
    ToolServiceOptions toolService;

    @Override
    public Integer call() {
        GeneratorConfig loaded;
        try {
            loaded = GeneratorConfig.load(config);
        } catch (ConfigException e) {
            System.err.println("spindle: " + e.getMessage());
            return 2;
        }
        try (ToolService service = toolService.open(loaded.generation().tools())) {
            Generator generator;
            try {
                Generator.Options options = new Generator.Options(concurrency != null ? concurrency : loaded.output().batchSize(),
                        resume, overwrite, !noProgress, Duration.ofSeconds(1));
                generator = Generator.prepare(loaded, config.toString(), service, options, System.getenv(), null, System.err::println);
            } catch (ConfigException e) {
                System.err.println("spindle: " + e.getMessage());
                return 2;
            }
            Thread stopper = new Thread(() -> generator.stop(Duration.ofSeconds(15)));
            Runtime.getRuntime().addShutdownHook(stopper);
            ObjectNode summary = generator.run();
            System.err.println(Summary.render(summary));
            return summary.get("written").asInt() + summary.get("already_present").asInt() >= summary.get("requested").asInt() ? 0 : 1;
        }
    }
}
