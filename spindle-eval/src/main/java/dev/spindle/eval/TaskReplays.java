package dev.spindle.eval;

import dev.spindle.core.ToolService;
import dev.spindle.env.Task;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.generator.ReplaySessions;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Replays trajectories an eval kept ({@code --keep-passing}) in their tasks: each record names its task
 * and seed in its metadata, is replayed in a fresh session of that task seeded so, with the task's tools,
 * and its final state is graded again: a reward other than the one it was kept with is a mismatch.
 */
public final class TaskReplays implements ReplaySessions {
    private final TaskCatalog tasks;
    private final TaskEnvironment environment;
    private final ToolService service;

    public TaskReplays(TaskCatalog tasks, TaskEnvironment environment, ToolService service) {
        this.tasks = tasks;
        this.environment = environment;
        this.service = service;
    }

    @Override
    public ReplaySession open(JsonNode record) {
        JsonNode metadata = record.path("metadata");
        String id = metadata.path("task").asString("");
        if (id.isEmpty()) {
            throw new Refused("the record names no task (metadata.task): it was not kept by spindle eval");
        }
        Task task = tasks.find(id).orElseThrow(() -> new Refused("task " + id + " is not among the tasks given"));
        if (!metadata.path("seed").canConvertToLong()) {
            throw new Refused("the record's metadata.seed is not an integer");
        }
        long seed = metadata.path("seed").asLong();
        String session = environment.open(task, seed, null).sessionId();
        JsonNode kept = metadata.path("reward");
        return new ReplaySession(session, TaskItem.runner(task, environment), TaskItem.tools(task, environment), "task " + id + "'s tools", () -> {
            double now = environment.verify(task, session, seed).reward();
            if (kept.isNumber() && Math.abs(kept.asDouble() - now) > 1e-9) {
                return Optional.of(String.format(Locale.ROOT, "the calls reproduced, but task %s's verifier now gives reward %.2f where the record was kept with %.2f",
                        id, now, kept.asDouble()));
            }
            return Optional.empty();
        }, () -> service.closeSession(session));
    }
}
