package dev.spindle.eval;

import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * An eval's output folder: {@code results.jsonl}, one line per attempt, written as each attempt ends
 * (so a stopped run loses only the attempts in flight), and {@code eval.summary.json}. On
 * {@code --resume} the graded lines are kept and everything else (infrastructure errors, a line cut
 * by a kill) is attempted again, so the file never holds an attempt twice.
 */
final class ResultsFile {
    static final String RESULTS = "results.jsonl";
    static final String SUMMARY = "eval.summary.json";

    private final Path folder;
    private final BufferedWriter writer;
    private final List<AttemptLine> lines = new ArrayList<>();
    private final Set<String> done = new HashSet<>();

    private ResultsFile(Path folder, BufferedWriter writer, List<JsonNode> kept) {
        this.folder = folder;
        this.writer = writer;
        kept.forEach(this::remember);
    }

    static ResultsFile open(Path folder, boolean resume, boolean overwrite) {
        Path results = folder.resolve(RESULTS);
        try {
            Files.createDirectories(folder);
            List<JsonNode> kept = new ArrayList<>();
            if (Files.exists(results) && Files.size(results) > 0) {
                if (!resume && !overwrite) {
                    throw new ConfigException("eval: " + results + " exists; pass --resume to continue it or --overwrite to replace it");
                }
                if (resume) {
                    kept = graded(results, true);
                    Path rewritten = folder.resolve(RESULTS + ".tmp");
                    Files.write(rewritten, kept.stream().map(Json::write).toList(), StandardCharsets.UTF_8);
                    Files.move(rewritten, results, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            BufferedWriter writer = Files.newBufferedWriter(results, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    resume ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            return new ResultsFile(folder, writer, kept);
        } catch (IOException e) {
            throw EvalRun.unwritable(results, e);
        }
    }

    /**
     * The graded attempts of a results file, each once (the first line of a task and attempt), in file
     * order. A line that is not an attempt's is skipped when {@code resuming} (the line a killed run was
     * writing) and refused with its number otherwise.
     */
    static List<JsonNode> graded(Path results, boolean resuming) throws IOException {
        List<JsonNode> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> texts = Files.readAllLines(results, StandardCharsets.UTF_8);
        for (int number = 1; number <= texts.size(); number++) {
            JsonNode line;
            try {
                line = Json.parse(texts.get(number - 1));
            } catch (RuntimeException e) {
                line = null;
            }
            if (line == null || !line.isObject() || !line.path("task").isString() || line.path("attempt").asInt(0) < 1) {
                if (resuming) {
                    continue;
                }
                throw new ConfigException("eval: " + results + ":" + number + ": not an attempt's line of " + RESULTS);
            }
            AttemptLine attempt = AttemptLine.of(line);
            if (attempt.graded() && seen.add(key(attempt.task(), attempt.attempt()))) {
                kept.add(line);
            }
        }
        return kept;
    }

    boolean holds(String task, int attempt) {
        synchronized (done) {
            return done.contains(key(task, attempt));
        }
    }

    /** Appends one attempt's line and flushes it: what is in the file is what survives a kill. */
    synchronized void append(JsonNode line) {
        try {
            writer.write(Json.write(line));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw EvalRun.unwritable(folder.resolve(RESULTS), e);
        }
        remember(line);
    }

    synchronized List<AttemptLine> lines() {
        return List.copyOf(lines);
    }

    void writeSummary(EvalSummary summary) {
        Path path = folder.resolve(SUMMARY);
        try {
            writer.close();
            Files.writeString(path, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(summary.toJson()) + "\n");
        } catch (IOException e) {
            throw EvalRun.unwritable(path, e);
        }
    }

    private void remember(JsonNode line) {
        AttemptLine attempt = AttemptLine.of(line);
        lines.add(attempt);
        synchronized (done) {
            done.add(key(attempt.task(), attempt.attempt()));
        }
    }

    private static String key(String task, int attempt) {
        return task + "\u0000" + attempt;
    }
}
