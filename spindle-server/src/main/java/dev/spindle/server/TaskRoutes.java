package dev.spindle.server;

import dev.spindle.core.Json;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.wire.Wire;
import dev.spindle.env.Task;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The tasks of {@code --tasks DIR}: list them, read one, open a session seeded for one, call a tool as one
 * offers it, and grade a session by one's verifier. Task files (and the reference solution) stay on the server.
 */
final class TaskRoutes {
    private final TaskCatalog catalog;
    private final TaskEnvironment environment;

    TaskRoutes(TaskCatalog catalog, TaskEnvironment environment) {
        this.catalog = catalog;
        this.environment = environment;
    }

    /** {@code GET /tasks}: {@code {tasks: [{id, instruction, max_steps}]}} in id order. */
    void list(Exchange ex) {
        ArrayNode tasks = Json.array();
        catalog.tasks().forEach(task -> tasks.addObject().put("id", task.id()).put("instruction", task.instruction()).put("max_steps", task.maxSteps()));
        ObjectNode json = Json.object();
        json.set("tasks", tasks);
        ex.ok(json);
    }

    /** {@code GET /tasks/{id}}: the task, its tools' definitions and its verifier's assertions (names only, not what they expect). */
    void get(Exchange ex, String id) {
        Task task = catalog.require(id);
        ObjectNode json = Json.object().put("id", task.id()).put("instruction", task.instruction()).put("max_steps", task.maxSteps());
        ArrayNode tools = json.putArray("tools");
        environment.tools(task).stream().map(ToolDefinition::toJson).forEach(tools::add);
        ArrayNode verifier = json.putArray("verifier");
        task.verifier().forEach(graded -> verifier.addObject().put("name", graded.name()).put("kind", graded.kind())
                .put("gate", graded.gate()).put("weight", graded.weight()));
        ex.ok(json);
    }

    /** {@code POST /tasks/{id}/sessions {seed?, session_id?}}: a session in the task's starting state (201). */
    void open(Exchange ex, String id) {
        Task task = catalog.require(id);
        JsonNode body = ex.jsonObject();
        ObjectNode json = Wire.session(environment.open(task, seed(body), Exchange.optionalString(body, "session_id")));
        json.put("task", task.id()).put("max_steps", task.maxSteps());
        ex.respond(201, json);
    }

    /** {@code POST /sessions/{id}/verify {task, seed?}}: the verdict on the session's current state. */
    void verify(Exchange ex, String sessionId) {
        JsonNode body = ex.jsonObject();
        ex.ok(environment.verify(task(body, "grades the session"), sessionId, seed(body)).toJson());
    }

    /**
     * {@code POST /sessions/{id}/call {task, tool, args?}}: one call as the task offers it (its tools only, under
     * the names {@code GET /tasks/{id}} lists), answered as the Spin envelope; a tool the task does not allow
     * is {@code UnknownTool}, as OpenEnv's step answers.
     */
    void call(Exchange ex, String sessionId) {
        JsonNode body = ex.jsonObject();
        Task task = task(body, "offers the tool");
        String tool = Exchange.optionalString(body, "tool");
        if (tool == null) {
            throw Exchange.badRequest("tool is required: the name of one of the task's tools (GET /tasks/" + task.id() + " lists them)");
        }
        JsonNode args = body.get("args");
        ex.ok(Wire.envelope(environment.call(task, sessionId, tool, args == null || args.isNull() ? Json.object() : args)));
    }

    private Task task(JsonNode body, String what) {
        String taskId = Exchange.optionalString(body, "task");
        if (taskId == null) {
            throw Exchange.badRequest("task is required: the id of the task that " + what + " (GET /tasks lists them)");
        }
        return catalog.require(taskId);
    }

    /** The seed the session's tools draw from: a whole number from 0, as OpenEnv's reset takes it. */
    private static Long seed(JsonNode body) {
        JsonNode seed = body.get("seed");
        if (seed == null || seed.isNull()) {
            return null;
        }
        if (!seed.canConvertToExactIntegral() || !seed.canConvertToLong() || seed.asLong() < 0) {
            throw Exchange.badRequest("seed must be a whole number from 0 to 9223372036854775807");
        }
        return seed.asLong();
    }
}
