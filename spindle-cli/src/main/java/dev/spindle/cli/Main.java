package dev.spindle.cli;

import dev.spindle.core.ConfigException;
import dev.spindle.core.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code spindle}: the command-line entry point. Exit codes: 0 ok, 1 runtime failure, 2 usage error. */
@Command(name = "spindle",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Real tool execution for agentic training data: an isolated sandbox per conversation, wire-compatible with DeepFabric's Spin tool service.",
        footer = {"", "The ./spindle launcher also runs:",
                "  test                 the test suite (mvn -B verify) with a JDK 25",
                "  java-home            print the JDK it selected",
                "  install-test-peers   install the MCP test peer (npm) under .ci/mcp-peers",
                "Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error."},
        subcommands = {ServeCommand.class, McpCommand.class, ImportToolsCommand.class, GenerateCommand.class, MergeCommand.class, VerifyCommand.class, ShowCommand.class,
                TaskCommand.class, EvalCommand.class, RolloutCommand.class, SnapshotCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        // A failure is one clear line, not a stack trace: exit 2 for a configuration that cannot run (an
        // option, a manifest, a generator config: caught before any work), 1 for a runtime failure.
        return new CommandLine(new Main()).setUsageHelpAutoWidth(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("spindle: " + e.getMessage());
                    return e instanceof ConfigException ? 2 : 1;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"spindle " + Version.CURRENT + " (Java " + Runtime.version() + ")"};
        }
    }
}
