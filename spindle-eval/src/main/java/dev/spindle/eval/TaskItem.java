package dev.spindle.eval;

import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolService;
import dev.spindle.env.Task;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.env.Verdict;
import dev.spindle.generator.tools.AgentTool;
import dev.spindle.generator.tools.ToolBox;
import dev.spindle.generator.tools.ToolRunner;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task attempted: a fresh session seeded as the task says, with the attempt's number as its seed (so
 * an attempt replays), the instruction as the user turn and only the task's tools; the task's verifier
 * grades the session the model left.
 */
record TaskItem(Task task, TaskEnvironment environment, ToolService service) implements EvalRun.Item {
    static List<TaskItem> of(List<Task> tasks, TaskEnvironment environment, ToolService service) {
        return tasks.stream().map(task -> new TaskItem(task, environment, service)).toList();
    }

    /** The tools an agent may call in the task, under the names it offers them by. */
    static ToolBox tools(Task task, TaskEnvironment environment) {
        return new ToolBox(environment.tools(task).stream().map(definition -> new AgentTool(definition, null)).toList());
    }

    /** Runs a call as the task allows it ({@code UnknownTool} for any other). */
    static ToolRunner runner(Task task, TaskEnvironment environment) {
        return (sessionId, tool, arguments) -> environment.call(task, sessionId, tool.name(), arguments);
    }

    @Override
    public String id() {
        return task.id();
    }

    @Override
    public ObjectNode graded(int attempt, EvalRun run) {
        long seed = attempt;
        String session;
        try {
            session = environment.open(task, seed, null).sessionId();
        } catch (SpindleException e) {
            throw new EvalRun.Infra("tool_service", "the task's session could not be opened: " + e.getMessage());
        }
        try {
            EvalRun.Played played = run.play(task.id(), attempt, null, task.instruction(), tools(task, environment), runner(task, environment),
                    task.maxSteps(), session);
            Verdict verdict;
            try {
                verdict = environment.verify(task, session, seed);
            } catch (RuntimeException e) {
                throw new EvalRun.Infra("verifier", "the verifier could not run: " + e.getMessage());
            }
            ObjectNode line = run.line(task.id(), attempt, played, verdict.reward(), verdict.solved());
            line.set("checks", verdict.toJson().get("checks"));
            ((ObjectNode) line.get("trajectory").get("metadata")).put("task", task.id()).put("seed", seed);
            return line;
        } finally {
            EvalRun.closeQuietly(service, session, run);
        }
    }
}
