package dev.spindle.eval;

import dev.spindle.core.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What is made of an eval's {@code results.jsonl} for training: the trajectories that passed (a
 * DeepFabric dataset checked by outcome, not by a judge) and rollouts (every graded trajectory with its
 * reward, one row each, as TRL and similar trainers load a dataset). Formats: docs/eval.md.
 */
public final class Exports {
    private Exports() {}

    /** The graded attempts of a results file, in file order; a line that is not an attempt's is a {@code ConfigException} naming it. */
    public static List<JsonNode> graded(Path results) {
        try {
            return ResultsFile.graded(results, false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + results + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the trajectories of attempts whose reward is at least {@code minReward}, each with its reward in
     * its metadata (beside task and seed, so {@code verify --tasks} grades the replay against it); answers how many.
     */
    public static int keepPassing(List<JsonNode> graded, double minReward, Path out) {
        List<JsonNode> kept = graded.stream().filter(line -> line.path("reward").asDouble() >= minReward).map(line -> {
            ObjectNode trajectory = (ObjectNode) line.get("trajectory").deepCopy();
            trajectory.withObject("metadata").put("reward", line.path("reward").asDouble());
            return (JsonNode) trajectory;
        }).toList();
        write(out, kept);
        return kept.size();
    }

    /**
     * One row per graded attempt: {@code messages} (the conversation a trainer tokenizes), {@code tools},
     * {@code reward}, {@code task}, {@code seed}, and {@code steps} (each call with its arguments and the
     * real result, for per-step credit).
     */
    public static int rollouts(List<JsonNode> graded, Path out) {
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode line : graded) {
            JsonNode trajectory = line.get("trajectory");
            ObjectNode row = Json.object().put("task", line.path("task").asString()).put("attempt", line.path("attempt").asInt())
                    .put("seed", trajectory.path("metadata").path("seed").asLong()).put("reward", line.path("reward").asDouble())
                    .put("solved", line.path("solved").asBoolean());
            row.set("messages", trajectory.get("messages"));
            row.set("tools", trajectory.path("tools").isArray() ? trajectory.get("tools") : Json.array());
            row.set("steps", steps(trajectory.get("messages")));
            rows.add(row);
        }
        write(out, rows);
        return rows.size();
    }

    private static ArrayNode steps(JsonNode messages) {
        Map<String, ObjectNode> byId = new HashMap<>();
        ArrayNode steps = Json.array();
        for (JsonNode message : messages) {
            for (JsonNode call : message.path("tool_calls")) {
                ObjectNode step = steps.addObject().put("name", call.path("function").path("name").asString())
                        .put("arguments", call.path("function").path("arguments").asString());
                byId.put(call.path("id").asString(), step);
            }
            if (message.path("role").asString().equals("tool")) {
                ObjectNode step = byId.get(message.path("tool_call_id").asString());
                if (step != null) {
                    step.put("result", message.path("content").asString());
                }
            }
        }
        return steps;
    }

    private static void write(Path out, List<JsonNode> rows) {
        try {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (JsonNode row : rows) {
                    writer.write(Json.write(row));
                    writer.newLine();
                }
            }
        } catch (IOException e) {
            throw EvalRun.unwritable(out, e);
        }
    }
}
