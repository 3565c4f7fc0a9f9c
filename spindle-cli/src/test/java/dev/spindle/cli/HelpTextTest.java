package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help a new user reads first: whole sentences, tokens never split by wrapping, every command listed. */
class HelpTextTest {
    /** Every command and subcommand, at any depth ({@code task check}, {@code snapshot export}...). */
    private static List<CommandLine> everyCommand() {
        List<CommandLine> all = new ArrayList<>();
        addWithSubcommands(Main.commandLine(), all);
        return all;
    }

    private static void addWithSubcommands(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().forEach(sub -> addWithSubcommands(sub, all));
    }

    private static String usage(CommandLine command, int width) {
        return command.setUsageHelpAutoWidth(false).setUsageHelpWidth(width).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static List<String> words(String text) {
        return Arrays.asList(text.strip().split("\\s+"));
    }

    @Test
    void wrappingAt80ColumnsNeverSplitsAWordOrAPath() {
        for (CommandLine command : everyCommand()) {
            String narrow = usage(command, 80);
            assertThat(words(narrow)).as(command.getCommandName() + ":\n" + narrow).isEqualTo(words(usage(command, 1000)));
        }
    }

    @Test
    void everyHelpRendersWithoutAPicocliWarning() {
        // picocli reports a description it cannot format (an unescaped %) on System.err, read at each warning
        PrintStream err = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        List<String> rendered = new ArrayList<>();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (CommandLine command : everyCommand()) {
                usage(command, 80);
                rendered.add(command.getCommandSpec().qualifiedName());
            }
        } finally {
            System.setErr(err);
        }
        assertThat(rendered).contains("spindle generate", "spindle task check", "spindle snapshot export");
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void everyDescriptionLineIsAWholeSentence() {
        for (CommandLine command : everyCommand()) {
            if (command.getCommand() instanceof CommandLine.HelpCommand) {
                continue; // picocli's own
            }
            for (String line : command.getCommandSpec().usageMessage().description()) {
                assertThat(line).as(command.getCommandName()).endsWith(".");
            }
        }
        String top = String.join(" ", words(usage(Main.commandLine(), 80)));
        assertThat(top).contains("Real tool execution for agentic training data: an isolated sandbox per conversation, wire-compatible");
    }

    @Test
    void theTopLevelHelpNamesTheLauncherCommandsAndTheExitCodes() {
        String top = usage(Main.commandLine(), 80);
        assertThat(top).contains("  test ", "  java-home ", "  install-test-peers ", "2 usage or configuration error");
    }
}
