package dev.spindle.cli;

import dev.spindle.core.Version;
import dev.spindle.generator.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code spindle}: the command-line entry point. Exit codes: 0 ok, 1 runtime failure, 2 usage error. */
@Command(name = "spindle",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = {"Real tool execution for agentic training data: an isolated sandbox per conversation,",
                "wire-compatible with DeepFabric's Spin tool service."},
        subcommands = {ServeCommand.class, McpCommand.class, ImportToolsCommand.class, GenerateCommand.class, VerifyCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        // A failure is one clear line, not a stack trace: exit 2 for a config that cannot run (a usage
        // error, caught before any work), 1 for a runtime failure (port taken, store unwritable).
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
