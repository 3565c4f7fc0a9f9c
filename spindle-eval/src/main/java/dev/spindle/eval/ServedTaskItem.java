package dev.spindle.eval;

import dev.spindle.client.SpindleClient;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolDefinition;
import dev.spindle.generator.tools.AgentTool;
import dev.spindle.generator.tools.ToolBox;
import dev.spindle.generator.tools.ToolRunner;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task a served Spindle offers ({@code serve --tasks}), attempted over HTTP: the session opened by
 * {@code POST /tasks/{id}/sessions} with the attempt's number as its seed, each call through
 * {@code POST /sessions/{id}/call} (the task's tools only), the verdict from {@code POST /sessions/{id}/verify}.
 * The task file and its reference solution stay on the server; the grade is the same as in process.
 */
record ServedTaskItem(String id, String instruction, int maxSteps, ToolBox tools, SpindleClient client) implements EvalRun.Item {
    /** The tasks of that server, by id; every task it offers when {@code ids} is empty. */
    static List<ServedTaskItem> of(SpindleClient client, List<String> ids) {
        List<ServedTaskItem> items = new ArrayList<>();
        for (String id : ids.isEmpty() ? client.taskIds() : ids) {
            JsonNode task = client.task(id);
            List<AgentTool> tools = new ArrayList<>();
            task.path("tools").forEach(tool -> tools.add(new AgentTool(ToolDefinition.fromJson(tool), null)));
            items.add(new ServedTaskItem(task.path("id").asString(id), task.path("instruction").asString(""), task.path("max_steps").asInt(), new ToolBox(tools), client));
        }
        return items;
    }

    @Override
    public ObjectNode graded(int attempt, EvalRun run) {
        long seed = attempt;
        String session;
        try {
            session = client.openTaskSession(id, seed).sessionId();
        } catch (SpindleException e) {
            throw new EvalRun.Infra("tool_service", "the task's session could not be opened: " + e.getMessage());
        }
        try {
            ToolRunner runner = (sessionId, tool, arguments) -> client.callInTask(sessionId, id, tool.name(), arguments);
            EvalRun.Played played = run.play(id, attempt, null, instruction, tools, runner, maxSteps, session);
            JsonNode verdict;
            try {
                verdict = client.verifyTask(session, id, seed);
            } catch (SpindleException e) {
                throw new EvalRun.Infra("verifier", "the verifier could not run: " + e.getMessage());
            }
            ObjectNode line = run.line(id, attempt, played, verdict.path("reward").asDouble(), verdict.path("solved").asBoolean());
            line.set("checks", verdict.path("checks"));
            ((ObjectNode) line.get("trajectory").get("metadata")).put("task", id).put("seed", seed);
            return line;
        } finally {
            EvalRun.closeQuietly(client, session, run);
        }
    }
}
