package dev.spindle.cli;

import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.ToolService;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.eval.TaskReplays;
import dev.spindle.generator.SeededSessions;
import dev.spindle.generator.Verifier;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.generator.tools.ToolRunner;
import dev.spindle.generator.tools.ToolSetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spindle verify DATASET}: replays each record's tool calls for real and reports every tool
 * message a real execution does not reproduce. Exit 1 when any record mismatches, or there is no record.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay every record's tool calls in a fresh session and compare the real results with its tool messages.",
                "Works on any OpenAI-messages JSONL with tool calls (Spindle's, DeepFabric's).",
                "With --tasks, each record is replayed in the task its metadata names, and graded again by the task's verifier."})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DATASET", description = "The JSONL dataset.")
    Path dataset;

    @Option(names = "--config", paramLabel = "CONFIG", description = "The config that made it: seed files, tool routing, mock files, spin_endpoint.")
    Path config;

    @Option(names = "--tasks", paramLabel = "TASK", arity = "1..*",
            description = "Replay trajectories kept by eval --keep-passing in the tasks they name (task files or folders), graded again by their verifiers.")
    List<Path> tasks;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write one JSON line per record ({record, status, detail}) to FILE.")
    Path report;

    @Mixin
    ToolServiceOptions toolService;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isReadable(dataset)) {
            throw new ConfigException(dataset + " cannot be read");
        }
        if (tasks != null && config != null) {
            throw new ConfigException("verify", List.of("--tasks and --config: give one (a kept trajectory's task says how its session starts)"));
        }
        TaskCatalog catalog = tasks == null ? null : TaskCatalog.load(tasks);
        GeneratorConfig.Tools tools = toolsOf(config);
        ToolRuntime taskRuntime = catalog == null ? null : toolService.inProcess(null);
        try (ToolService service = taskRuntime != null ? taskRuntime : toolService.open(tools);
                PrintWriter json = report == null ? null : new PrintWriter(Files.newBufferedWriter(report))) {
            PrintWriter out = spec.commandLine().getOut();
            Verifier verifier = catalog == null ? verifier(service, tools, config)
                    : new Verifier(new TaskReplays(catalog, new TaskEnvironment(taskRuntime), taskRuntime));
            Verifier.Report totals = verifier.verify(dataset, result -> {
                out.println(result.line());
                if (json != null) {
                    json.println(Json.write(result.toJson()));
                }
            });
            out.println(totals.line());
            out.flush();
            totals.seedHint().ifPresent(hint -> spec.commandLine().getErr().println("hint: " + hint));
            return totals.failed() ? 1 : 0;
        }
    }

    /** The tool settings of the generator config that made a dataset, its warnings printed; null without one or outside agent mode. */
    static GeneratorConfig.Tools toolsOf(Path config) {
        GeneratorConfig loaded = config == null ? null : GeneratorConfig.load(config);
        if (loaded != null) {
            loaded.warnings().forEach(warning -> System.err.println("warning: " + warning));
        }
        return loaded == null || !loaded.generation().agentMode() ? null : loaded.generation().tools();
    }

    /** Replays records through {@code service} set up as {@code tools} (from {@code config}) set the generation up: seed files, tool routing, mock files. */
    static Verifier verifier(ToolService service, GeneratorConfig.Tools tools, Path config) {
        ToolSetup setup = tools == null ? new ToolSetup(null, ToolRunner.on(service), Map.of()) : ToolSetup.prepare(tools, service, config.toString());
        return new Verifier(new SeededSessions(service, setup.runner(), setup.tools(), setup.seed()));
    }
}
