package dev.spindle.server.openenv;

import dev.spindle.core.ExposedTools;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.SessionAdmin;
import dev.spindle.core.runtime.ToolCalls;
import dev.spindle.env.Task;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.env.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One episode: a Spindle session, the task behind it if any, and the count of its steps. A bare sandbox
 * offers every served tool and never ends; a task offers its tools (as {@link TaskEnvironment#offered}
 * computes them) and {@code submit}, which runs the task's verifier and ends the episode, as does a call
 * past the task's {@code max_steps} (reward 0). One caller at a time.
 */
final class Episode {
    /** OpenEnv's reserved names: a served tool of that name is offered as {@code <component>__<name>}. */
    static final Set<String> RESERVED = Set.of("reset", "step", "state", "close");
    static final String SUBMIT = "submit";
    private static final Set<String> RESERVED_IN_TASKS = Set.of("reset", "step", "state", "close", SUBMIT);
    private static final ToolDefinition SUBMIT_TOOL = new ToolDefinition(SUBMIT,
            "Finish the task: the verifier checks the final state, and the episode ends with its reward.",
            Json.object().put("type", "object").putObject("properties").objectNode(), null);

    private final ToolCalls calls;
    private final SessionAdmin sessions;
    private final TaskEnvironment environment;
    final String sessionId;
    final String episodeId;
    final long seed;
    final String taskId;
    /** Null for a bare sandbox. */
    private final Task task;
    /**
     * Tool calls run: what the step budget counts ({@code steps_left}) and what the state's {@code step_count}
     * says. A listing, {@code submit}, an unknown tool and the call refused past the budget are not among them.
     */
    private int steps;
    private boolean done;
    private Double reward;
    private JsonNode breakdown;

    Episode(ToolCalls calls, SessionAdmin sessions, TaskEnvironment environment, String sessionId, String episodeId, long seed, Task task) {
        this.calls = calls;
        this.sessions = sessions;
        this.environment = environment;
        this.sessionId = sessionId;
        this.episodeId = episodeId;
        this.seed = seed;
        this.taskId = task == null ? null : task.id();
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
        return task == null ? ExposedTools.of(calls.components(), RESERVED) : environment.offered(task, RESERVED_IN_TASKS);
    }

    /** One tool call (a step's or an MCP {@code tools/call}); a tool that runs counts as a step. */
    synchronized CallOutcome call(String name, ObjectNode arguments) {
        requireLive();
        if (task != null && name.equals(SUBMIT)) {
            Verdict verdict = environment.verify(task, sessionId, seed);
            CallOutcome submitted = CallOutcome.submitted(verdict);
            end(verdict.reward(), submitted.breakdown());
            return submitted;
        }
        Map<String, ExposedTools.Exposed> tools = callable();
        ExposedTools.Exposed tool = tools.get(name);
        if (tool == null) {
            return CallOutcome.failed(name, ToolErrorTypes.NOT_FOUND, ToolResult.unknownToolMessage(name, offered().stream().map(ToolDefinition::name).toList()));
        }
        if (task != null && steps >= task.maxSteps()) {
            end(0.0, null);
            return CallOutcome.failed(name, ToolErrorTypes.EXECUTION, "The step budget of " + task.maxSteps()
                    + " tool calls is used up: the episode ended with reward 0");
        }
        steps++;
        ToolResult result;
        try {
            String toolName = tool.definition().name();
            result = calls.execute(new ToolCall(sessionId, tool.component(), toolName,
                    task == null ? arguments : environment.arguments(task, tool.component(), toolName, arguments)));
        } catch (SpindleException e) {
            result = ToolResult.failure(e);
        }
        return result.success() ? CallOutcome.ok(name, result.result(), result.value())
                : CallOutcome.failed(name, ToolErrorTypes.of(result.errorType()), result.errorType().name() + ": " + result.result());
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
        if (!sessions.keepAlive(sessionId)) {
            throw new FrameError(ErrorCode.SESSION_ERROR, "The episode's session " + sessionId + " is gone (expired or deleted)");
        }
    }

    /** Tool calls left before the budget ends the episode; null without a budget. */
    private Integer stepsLeft() {
        return task == null ? null : Math.max(0, task.maxSteps() - steps);
    }

    /** OpenEnv's state ({@code episode_id}, {@code step_count}) and ours. */
    synchronized ObjectNode state() {
        requireSession();
        ObjectNode state = Json.object().put("episode_id", episodeId).put("step_count", steps).put("seed", seed)
                .put("task_id", taskId).put("session_id", sessionId).put("done", done).put("reward", reward).put("steps_left", stepsLeft());
        state.set("breakdown", breakdown);
        return state;
    }

    /** Ends the Spindle session behind the episode. */
    void close() {
        sessions.closeSession(sessionId);
    }
}
