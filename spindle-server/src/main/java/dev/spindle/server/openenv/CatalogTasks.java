package dev.spindle.server.openenv;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolDefinition;
import dev.spindle.env.Task;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * Episodes of the server's task files (spindle-env): a reset's {@code task} names one of the catalogue; its
 * session opens in the task's seeded starting state, offers the task's tools, allows its {@code max_steps}
 * tool calls, and {@code submit} grades it with the task's verifier (the verdict's JSON is the breakdown).
 */
public final class CatalogTasks implements Tasks {
    private final TaskCatalog catalog;
    private final TaskEnvironment environment;

    public CatalogTasks(TaskCatalog catalog, TaskEnvironment environment) {
        this.catalog = catalog;
        this.environment = environment;
    }

    @Override
    public TaskEpisode open(TaskRequest request) {
        Task task = catalog.find(request.taskId()).orElseThrow(() -> new SpindleException(ErrorType.InvalidRequest,
                "Unknown task: " + request.taskId() + (catalog.size() == 0 ? " (this server serves no tasks: start it with --tasks DIR)"
                        : ". Tasks: " + String.join(", ", catalog.tasks().stream().map(Task::id).toList()))));
        environment.open(task, request.seed(), request.sessionId());
        Set<String> allowed = task.tools().isEmpty() ? Set.of()
                : environment.tools(task).stream().map(ToolDefinition::name).collect(Collectors.toUnmodifiableSet());
        return new TaskEpisode() {
            @Override
            public String instruction() {
                return task.instruction();
            }

            @Override
            public Set<String> allowedTools() {
                return allowed;
            }

            @Override
            public int stepBudget() {
                return task.maxSteps();
            }

            @Override
            public ObjectNode arguments(String component, String tool, ObjectNode arguments) {
                return (ObjectNode) environment.arguments(task, component, tool, arguments);
            }

            @Override
            public Verdict verify() {
                dev.spindle.env.Verdict verdict = environment.verify(task, request.sessionId(), request.seed());
                return new Verdict(verdict.reward(), verdict.toJson());
            }
        };
    }
}
