package dev.spindle.eval;

import dev.spindle.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code eval.summary.json} and the table printed after a run. Rates count graded attempts only: an
 * attempt that ended in an infrastructure error (the LLM unreachable, the sandbox down) says nothing
 * about the model, so it is counted apart and never enters a reward or a pass rate. pass@k is per task
 * (unbiased estimator) and then averaged over the tasks with at least k graded attempts.
 */
public final class EvalSummary {
    /** By id (a dataset's records by number): the same table whatever order the attempts finished in. */
    private final Map<String, List<AttemptLine>> byTask = new TreeMap<>(EvalSummary::byId);
    private final int attemptsPerTask;

    private EvalSummary(List<AttemptLine> lines, int attemptsPerTask) {
        this.attemptsPerTask = attemptsPerTask;
        lines.forEach(line -> byTask.computeIfAbsent(line.task(), task -> new ArrayList<>()).add(line));
    }

    private static int byId(String one, String other) {
        if (one.startsWith(RecordItem.PREFIX) && other.startsWith(RecordItem.PREFIX)) {
            try {
                return Integer.compare(Integer.parseInt(one.substring(RecordItem.PREFIX.length())), Integer.parseInt(other.substring(RecordItem.PREFIX.length())));
            } catch (NumberFormatException named) {
                // a task named like a record: compared as text
            }
        }
        return one.compareTo(other);
    }

    static EvalSummary of(List<AttemptLine> lines, int attemptsPerTask) {
        return new EvalSummary(lines, attemptsPerTask);
    }

    public ObjectNode toJson() {
        ObjectNode out = Json.object();
        List<AttemptLine> all = byTask.values().stream().flatMap(List::stream).toList();
        List<AttemptLine> graded = all.stream().filter(AttemptLine::graded).toList();
        out.put("tasks", byTask.size()).put("attempts", all.size()).put("graded", graded.size()).put("infra_errors", all.size() - graded.size());
        putRate(out, "mean_reward", graded.stream().mapToDouble(AttemptLine::reward).average());
        ObjectNode passAt = out.putObject("pass_at_k");
        for (int k = 1; k <= attemptsPerTask; k++) {
            int atLeast = k;
            putRate(passAt, Integer.toString(k), byTask.values().stream().map(EvalSummary::gradedOnly)
                    .filter(lines -> lines.size() >= atLeast).mapToDouble(lines -> passAt(lines, atLeast)).average());
        }
        out.put("parse_failures", all.stream().mapToInt(AttemptLine::parseFailures).sum());
        ObjectNode tasks = out.putObject("per_task");
        byTask.forEach((task, lines) -> tasks.set(task, task(lines)));
        Map<String, Integer> errorTypes = new TreeMap<>();
        Map<String, int[]> tools = new TreeMap<>();
        for (AttemptLine line : all) {
            for (AttemptLine.ToolUse call : line.calls()) {
                int[] counts = tools.computeIfAbsent(call.tool(), tool -> new int[2]);
                counts[0]++;
                if (call.errorType() != null) {
                    counts[1]++;
                    errorTypes.merge(call.errorType(), 1, Integer::sum);
                }
            }
        }
        ObjectNode perError = out.putObject("per_error_type");
        errorTypes.forEach(perError::put);
        ObjectNode perTool = out.putObject("per_tool");
        tools.forEach((tool, counts) -> perTool.putObject(tool).put("calls", counts[0]).put("errors", counts[1]));
        Map<String, Integer> causes = new TreeMap<>();
        all.stream().filter(line -> !line.graded()).forEach(line -> causes.merge(line.infraCause(), 1, Integer::sum));
        ObjectNode perCause = out.putObject("infra_error_causes");
        causes.forEach(perCause::put);
        putDatasetGrades(out, graded);
        return out;
    }

    /**
     * A dataset's records: how many were graded by state and by tool selection, and DeepFabric's static
     * metrics averaged over the graded attempts of records that make a tool call, as its evaluate reports them.
     */
    private static void putDatasetGrades(ObjectNode out, List<AttemptLine> graded) {
        if (graded.stream().noneMatch(line -> line.gradedBy() != null)) {
            return;
        }
        Map<String, Integer> by = new TreeMap<>();
        graded.forEach(line -> by.merge(line.gradedBy(), 1, Integer::sum));
        ObjectNode gradedBy = out.putObject("graded_by");
        by.forEach(gradedBy::put);
        List<JsonNode> metrics = graded.stream().map(AttemptLine::firstCall).filter(Objects::nonNull).toList();
        ObjectNode deepfabric = out.putObject("deepfabric_metrics").put("attempts", metrics.size());
        putRate(deepfabric, "tool_selection_accuracy", metrics.stream().mapToDouble(m -> m.path("tool_selection").asBoolean() ? 1 : 0).average());
        putRate(deepfabric, "parameter_accuracy", metrics.stream().mapToDouble(m -> m.path("parameters").asBoolean() ? 1 : 0).average());
        putRate(deepfabric, "execution_success_rate", metrics.stream().mapToDouble(m -> m.path("executable").asBoolean() ? 1 : 0).average());
        putRate(deepfabric, "overall_score", metrics.stream().mapToDouble(m -> m.path("overall").asDouble()).average());
    }

    private ObjectNode task(List<AttemptLine> lines) {
        List<AttemptLine> graded = gradedOnly(lines);
        ObjectNode out = Json.object().put("attempts", lines.size()).put("graded", graded.size())
                .put("passed", graded.stream().filter(AttemptLine::solved).count()).put("infra_errors", lines.size() - graded.size());
        putRate(out, "mean_reward", graded.stream().mapToDouble(AttemptLine::reward).average());
        ObjectNode passAt = out.putObject("pass_at_k");
        for (int k = 1; k <= Math.min(attemptsPerTask, graded.size()); k++) {
            passAt.put(Integer.toString(k), round(passAt(graded, k)));
        }
        return out;
    }

    /** One row per task, then the totals: what a person reads after a run. */
    public String table() {
        StringBuilder out = new StringBuilder();
        ObjectNode totals = toJson();
        boolean records = totals.has("graded_by");
        int width = Math.max(4, byTask.keySet().stream().mapToInt(String::length).max().orElse(4));
        String row = "%-" + width + "s  %8s  %6s  %6s  %11s  %5s%n";
        out.append(String.format(Locale.ROOT, row, records ? "record" : "task", "attempts", "passed", "pass@1", "mean reward", "infra"));
        byTask.forEach((task, lines) -> {
            List<AttemptLine> graded = gradedOnly(lines);
            out.append(String.format(Locale.ROOT, row, task, lines.size(), graded.stream().filter(AttemptLine::solved).count(),
                    graded.isEmpty() ? "-" : format(passAt(graded, 1)),
                    graded.isEmpty() ? "-" : format(graded.stream().mapToDouble(AttemptLine::reward).average().orElse(0)),
                    lines.size() - graded.size()));
        });
        String passAtK = attemptsPerTask == 1 ? ""
                : String.format(Locale.ROOT, ", pass@%d %s", attemptsPerTask, text(totals.path("pass_at_k").path(Integer.toString(attemptsPerTask))));
        out.append(String.format(Locale.ROOT, "%d %s, %d attempts (%d graded, %d infra errors); pass@1 %s%s, mean reward %s%n",
                totals.get("tasks").asInt(), records ? "records" : "tasks", totals.get("attempts").asInt(), totals.get("graded").asInt(), totals.get("infra_errors").asInt(),
                text(totals.path("pass_at_k").path("1")), passAtK, text(totals.path("mean_reward"))));
        if (totals.has("deepfabric_metrics")) {
            JsonNode by = totals.get("graded_by");
            JsonNode metrics = totals.get("deepfabric_metrics");
            out.append(String.format(Locale.ROOT, "graded by state %d, by tool selection %d; DeepFabric's static metrics (first call): "
                            + "tool selection %s, parameters %s, executable %s, overall %s%n", by.path("state").asInt(0), by.path("tool_selection").asInt(0),
                    text(metrics.path("tool_selection_accuracy")), text(metrics.path("parameter_accuracy")),
                    text(metrics.path("execution_success_rate")), text(metrics.path("overall_score"))));
        }
        return out.toString();
    }

    private static List<AttemptLine> gradedOnly(List<AttemptLine> lines) {
        return lines.stream().filter(AttemptLine::graded).toList();
    }

    private static double passAt(List<AttemptLine> graded, int k) {
        return PassAtK.estimate(graded.size(), (int) graded.stream().filter(AttemptLine::solved).count(), k);
    }

    private static void putRate(ObjectNode out, String key, java.util.OptionalDouble value) {
        if (value.isPresent()) {
            out.put(key, round(value.getAsDouble()));
        } else {
            out.putNull(key); // nothing graded: no rate, rather than a 0 that would read as a model's failure
        }
    }

    /** Six decimals: enough for any rate, and the same text on every machine. */
    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String text(JsonNode value) {
        return value.isNumber() ? format(value.asDouble()) : "-";
    }
}
