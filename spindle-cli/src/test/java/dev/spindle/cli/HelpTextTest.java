package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help a new user reads first: whole sentences, tokens never split by wrapping, every command listed. */
class HelpTextTest {
    private static List<CommandLine> everyCommand() {
        CommandLine main = Main.commandLine();
        List<CommandLine> all = new ArrayList<>(List.of(main));
        all.addAll(main.getSubcommands().values());
        return all;
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
