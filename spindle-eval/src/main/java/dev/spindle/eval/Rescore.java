package dev.spindle.eval;

import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.ToolService;
import dev.spindle.env.Task;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * {@code spindle eval --rescore}: each graded attempt of a results file is replayed, without a model,
 * in a fresh session of its task seeded as it was (its tool calls in order, as recorded), and graded by
 * the task's current verifier. What changed is reported, so a verifier fix can be judged on old runs.
 */
public final class Rescore {
    /** An attempt whose reward is not what was recorded ({@code now} null: its task is not among those given). */
    public record Change(String task, int attempt, double was, Double now) {}

    public record Report(int rescored, List<Change> changes) {
        public String text() {
            StringBuilder out = new StringBuilder();
            changes.forEach(change -> out.append(String.format(Locale.ROOT, "%s #%d: reward %.2f -> %s%n", change.task(), change.attempt(), change.was(),
                    change.now() == null ? "task not given" : String.format(Locale.ROOT, "%.2f", change.now()))));
            return out.append(String.format(Locale.ROOT, "%d attempts rescored, %d changed%n", rescored, changes.size())).toString();
        }
    }

    /** More calls than any attempt makes (a task's budget is its max_steps): a longer trajectory is refused, not replayed for hours. */
    static final int MAX_CALLS = 10_000;

    private Rescore() {}

    public static Report run(List<JsonNode> graded, TaskCatalog tasks, TaskEnvironment environment, ToolService service) {
        List<Change> changes = new ArrayList<>();
        for (JsonNode line : graded) {
            String id = line.path("task").asString();
            int attempt = line.path("attempt").asInt();
            double was = line.path("reward").asDouble();
            Task task = tasks.find(id).orElse(null);
            if (task == null) {
                changes.add(new Change(id, attempt, was, null));
                continue;
            }
            double now = replay(task, line.get("trajectory"), environment, service);
            if (Math.abs(now - was) > 1e-9) {
                changes.add(new Change(id, attempt, was, now));
            }
        }
        return new Report(graded.size(), changes);
    }

    private static double replay(Task task, JsonNode trajectory, TaskEnvironment environment, ToolService service) {
        long seed = trajectory.path("metadata").path("seed").asLong();
        int calls = 0;
        for (JsonNode message : trajectory.path("messages")) {
            calls += message.path("tool_calls").size();
        }
        if (calls > MAX_CALLS) {
            throw new ConfigException("eval --rescore: an attempt of " + task.id() + " records " + calls + " tool calls; at most " + MAX_CALLS + " are replayed");
        }
        String session = environment.open(task, seed, null).sessionId();
        try {
            for (JsonNode message : trajectory.path("messages")) {
                for (JsonNode call : message.path("tool_calls")) {
                    JsonNode arguments;
                    try {
                        arguments = Json.parse(call.path("function").path("arguments").asString("{}"));
                    } catch (RuntimeException unreadable) {
                        continue; // it failed as InvalidArguments when it was made, and changed nothing
                    }
                    environment.call(task, session, call.path("function").path("name").asString(), arguments);
                }
            }
            return environment.verify(task, session, seed).reward();
        } finally {
            service.closeSession(session);
        }
    }
}
