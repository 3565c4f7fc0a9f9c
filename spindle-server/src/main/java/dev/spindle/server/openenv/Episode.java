package dev.spindle.server.openenv;

import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.mcp.ExposedTools;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One episode: a Spindle session, the task behind it if any, and the count of its steps. A bare sandbox
 * offers every served tool and never ends; a task offers its tools and {@code submit}, which runs the
 * verifier and ends the episode, as does a call past the step budget (reward 0). One caller at a time.
 */
final class Episode {
    /** OpenEnv's reserved names: a served tool of that name is offered as {@code <component>__<name>}. */
    static final Set<String> RESERVED = Set.of("reset", "step", "state", "close");
    static final String SUBMIT = "submit";
    private static final Set<String> RESERVED_IN_TASKS = Set.of("reset", "step", "state", "close", SUBMIT);
    private static final ToolDefinition SUBMIT_TOOL = new ToolDefinition(SUBMIT,
            "Finish the task: the verifier checks the final state, and the episode ends with its reward.",
            Json.object().put("type", "object").putObject("properties").objectNode(), null);

    private final ToolRuntime runtime;
    final String sessionId;
    final String episodeId;
    final long seed;
    final String taskId;
    private final TaskEpisode task;
    private int stepCount;
    private int callsMade;
    private boolean done;
    private Double reward;
    private JsonNode breakdown;

    Episode(ToolRuntime runtime, String sessionId, String episodeId, long seed, String taskId, TaskEpisode task) {
        this.runtime = runtime;
        this.sessionId = sessionId;
        this.episodeId = episodeId;
        this.seed = seed;
        this.taskId = taskId;
        this.task = task;
    }

    /** The reset's observation: who this episode is and what it asks. */
    synchronized ObjectNode started() {
        ObjectNode observation = Json.object().put("episode_id", episodeId).put("task_id", taskId)
                .put("instruction", task == null ? null : task.instruction()).put("seed", seed).put("session_id", sessionId);
        return frame(observation.put("steps_left", stepsLeft()));
    }

    /** One step: {@code {observation, reward, done}}. */
    synchronized ObjectNode step(Action action) {
        ObjectNode observation = switch (action) {
            case Action.ListTools _ -> {
                requireLive();
                stepCount++;
                yield listing("input_schema");
            }
            case Action.CallTool call -> call(call.toolName(), call.arguments()).observation();
        };
        return frame(observation.put("steps_left", stepsLeft()));
    }

    private ObjectNode frame(ObjectNode observation) {
        ObjectNode frame = Json.object();
        frame.set("observation", observation);
        return frame.put("reward", done ? reward : null).put("done", done);
    }

    /** The tools offered, MCP definitions under their exposed names; the schema under {@code schemaField}. */
    synchronized ObjectNode listing(String schemaField) {
        ObjectNode json = Json.object();
        ArrayNode tools = json.putArray("tools");
        for (ToolDefinition tool : offered()) {
            ObjectNode entry = tools.addObject().put("name", tool.name()).put("description", tool.description());
            entry.set(schemaField, tool.inputSchema());
        }
        return json;
    }

    private List<ToolDefinition> offered() {
        List<ToolDefinition> tools = new ArrayList<>();
        callable().forEach((name, tool) -> tools.add(new ToolDefinition(name, tool.definition().description(), tool.definition().inputSchema(), null)));
        if (task != null) {
            tools.add(SUBMIT_TOOL);
        }
        return tools;
    }

    private Map<String, ExposedTools.Exposed> callable() {
        Map<String, ExposedTools.Exposed> tools = ExposedTools.of(runtime.components(), task == null ? RESERVED : RESERVED_IN_TASKS);
        if (task != null && !task.allowedTools().isEmpty()) {
            tools.keySet().retainAll(task.allowedTools());
        }
        return tools;
    }

    /** One tool call (a step's or an MCP {@code tools/call}); counts as a step. */
    synchronized Outcome call(String name, ObjectNode arguments) {
        requireLive();
        stepCount++;
        if (task != null && name.equals(SUBMIT)) {
            TaskEpisode.Verdict verdict = task.verify();
            end(verdict.reward(), verdict.breakdown());
            return Outcome.submitted(verdict);
        }
        Map<String, ExposedTools.Exposed> tools = callable();
        ExposedTools.Exposed tool = tools.get(name);
        if (tool == null) {
            return Outcome.failed(name, ToolErrorTypes.NOT_FOUND, "Unknown tool: " + name + ". Available tools: "
                    + String.join(", ", offered().stream().map(ToolDefinition::name).toList()));
        }
        if (task != null && task.stepBudget() > 0 && callsMade >= task.stepBudget()) {
            end(0.0, null);
            return Outcome.failed(name, ToolErrorTypes.EXECUTION, "The step budget of " + task.stepBudget()
                    + " tool calls is used up: the episode ended with reward 0");
        }
        callsMade++;
        ToolResult result;
        try {
            String toolName = tool.definition().name();
            result = runtime.execute(new ToolCall(sessionId, tool.component(), toolName,
                    task == null ? arguments : task.arguments(tool.component(), toolName, arguments)));
        } catch (SpindleException e) {
            result = ToolResult.failure(e);
        }
        return result.success() ? Outcome.ok(name, result.result(), result.value())
                : Outcome.failed(name, ToolErrorTypes.of(result.errorType()), result.errorType().name() + ": " + result.result());
    }

    private void end(double reward, JsonNode breakdown) {
        this.done = true;
        this.reward = reward;
        this.breakdown = breakdown;
    }

    private void requireLive() {
        requireSession();
        if (done) {
            throw new FrameError(ErrorCode.EXECUTION_ERROR, "The episode is over (done); send reset to start another");
        }
    }

    /** The Spindle session must still be there (not expired, not deleted over HTTP); a use keeps it alive. */
    private void requireSession() {
        if (!runtime.keepAlive(sessionId)) {
            throw new FrameError(ErrorCode.SESSION_ERROR, "The episode's session " + sessionId + " is gone (expired or deleted)");
        }
    }

    /** Tool calls left before the budget ends the episode; null without a budget. */
    private Integer stepsLeft() {
        return task == null || task.stepBudget() <= 0 ? null : Math.max(0, task.stepBudget() - callsMade);
    }

    /** OpenEnv's state ({@code episode_id}, {@code step_count}) and ours. */
    synchronized ObjectNode state() {
        requireSession();
        ObjectNode state = Json.object().put("episode_id", episodeId).put("step_count", stepCount).put("seed", seed)
                .put("task_id", taskId).put("session_id", sessionId).put("done", done).put("reward", reward).put("steps_left", stepsLeft());
        state.set("breakdown", breakdown);
        return state;
    }

    /** Ends the Spindle session behind the episode. */
    void close() {
        runtime.closeSession(sessionId);
    }
}
