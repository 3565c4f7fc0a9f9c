package dev.spindle.cli;

import dev.spindle.core.SpindleException;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.env.Task;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskCheck;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.env.Verdict;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spindle task}: tasks with verifiable outcomes ({@code *.task.yaml}, see docs/tasks.md). */
@Command(name = "task", mixinStandardHelpOptions = true,
        description = {"Work with task files (*.task.yaml): an instruction, a seeded sandbox, a step budget and a verifier.",
                "The format is in docs/tasks.md."},
        subcommands = TaskCommand.Check.class)
final class TaskCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code spindle task check TASK...}: exit 0 only when every task passes, 1 when one is broken, 2 when one does not load. */
    @Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Prove each task sound: its reference solution must score 1 and doing nothing must score 0.",
                    "Runs in process (memory store, the built-in components) and prints each verdict's breakdown.",
                    "Exit 0 when every task passes, 1 when one is broken, 2 when a task file is invalid."})
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "TASK", description = "A task file, or a folder of them (searched recursively).")
        List<Path> tasks;

        @Mixin
        TaskRuntimeOptions runtimeOptions;

        @Option(names = {"-v", "--verbose"}, description = "Log more, on stderr.")
        boolean verbose;

        @Override
        public Integer call() {
            Logging.configure(verbose);
            TaskCatalog catalog = TaskCatalog.load(tasks);
            PrintWriter out = spec.commandLine().getOut();
            int passed = 0;
            try (ToolRuntime runtime = runtimeOptions.open("task check")) {
                TaskEnvironment environment = new TaskEnvironment(runtime);
                for (Task task : catalog.tasks()) {
                    passed += report(out, task, environment) ? 1 : 0;
                }
            }
            out.printf("%d of %d tasks pass%n", passed, catalog.size());
            out.flush();
            return passed == catalog.size() ? 0 : 1;
        }

        private static boolean report(PrintWriter out, Task task, TaskEnvironment environment) {
            TaskCheck check;
            try {
                check = environment.check(task);
            } catch (SpindleException e) {
                out.printf("%s: BROKEN%n  - its seed was refused: %s%n", task.id(), e.getMessage());
                return false;
            }
            out.printf("%s: %s%n", task.id(), check.passed() ? "ok" : "BROKEN");
            check.problems().forEach(problem -> out.printf("  - %s%n", problem));
            breakdown(out, "reference solution", check.solved());
            breakdown(out, "doing nothing", check.idle());
            return check.passed();
        }

        private static void breakdown(PrintWriter out, String run, Verdict verdict) {
            out.printf(Locale.ROOT, "  %s: reward %.2f%n", run, verdict.reward());
            for (Verdict.Check c : verdict.checks()) {
                String role = c.gate() ? "gate" : "weight " + BigDecimal.valueOf(c.weight()).stripTrailingZeros().toPlainString();
                out.printf("    %s %s (%s, %s)%s%n", c.passed() ? "pass" : "FAIL", c.name(), c.kind(), role, c.message() == null ? "" : ": " + c.message());
            }
        }
    }
}
