package dev.spindle.cli;

import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code spindle show DATASET [--record N]}: one record as a conversation in the terminal. */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print one record of a JSONL dataset as a readable conversation.",
                "It shows the user, the reasoning, tool calls with their arguments, tool results and the final answer."})
final class ShowCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DATASET", description = "The JSONL dataset.")
    Path dataset;

    @Option(names = "--record", paramLabel = "N", defaultValue = "1",
            description = "The record on line N, as spindle verify and the web console number them (default: ${DEFAULT-VALUE}).")
    int line;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isReadable(dataset)) {
            throw new ConfigException(dataset + " cannot be read");
        }
        if (line < 1) {
            throw new ConfigException("--record must be a line number from 1, got " + line);
        }
        String text = lineOf(dataset, line);
        if (text == null || text.isBlank()) {
            throw new ConfigException(dataset + " has no record on line " + line);
        }
        JsonNode record;
        try {
            record = Json.parse(text);
        } catch (RuntimeException e) {
            throw new ConfigException(dataset + " line " + line + " is not JSON: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("== " + dataset.getFileName() + ", line " + line);
        out.print(ConversationText.render(record));
        out.flush();
        return 0;
    }

    private static String lineOf(Path file, int wanted) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            String text = null;
            for (int n = 1; n <= wanted; n++) {
                text = reader.readLine();
                if (text == null) {
                    return null;
                }
            }
            return text;
        }
    }
}
