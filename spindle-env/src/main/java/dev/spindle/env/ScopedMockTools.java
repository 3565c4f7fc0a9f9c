package dev.spindle.env;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ExposedTools;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.TraceSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mock tools that two tasks define differently. The mock's catalogue is one per server, so each such task
 * loads its own copy under an internal name ({@code <tool>__task_<task id>}) and its sessions are offered it
 * under the declared name; no other task sees it. Its mock data, its reference solution's calls that name the
 * mock component, and the trace its verifier reads use the declared name: a task file never spells the
 * internal one. Format notes: docs/tasks.md.
 */
final class ScopedMockTools {
    static final String MARK = "__task_";
    private static final String MOCK = "mock";

    private ScopedMockTools() {}

    /** The task with its definitions of {@code clashing} tools renamed to its own copies. */
    static Task scope(Task task, Set<String> clashing) {
        Map<String, String> renamed = new HashMap<>();
        List<JsonNode> tools = new ArrayList<>();
        for (JsonNode document : task.mockTools()) {
            JsonNode copy = document.deepCopy();
            for (JsonNode definition : copy.isArray() ? copy : copy.path("tools")) {
                String name = definition.path("name").asString("");
                if (clashing.contains(name) && definition instanceof ObjectNode object) {
                    renamed.put(name, internal(name, task));
                    object.put("name", internal(name, task));
                }
            }
            tools.add(copy);
        }
        List<JsonNode> data = task.mockData().stream().map(document -> renameKeys((ObjectNode) document.deepCopy(), renamed)).toList();
        List<Task.Step> solution = task.solution().stream()
                .map(step -> MOCK.equals(step.component()) && renamed.containsKey(step.tool()) ? new Task.Step(renamed.get(step.tool()), MOCK, step.args()) : step)
                .toList();
        return new Task(task.id(), task.instruction(), task.files(), tools, data, task.tools(), task.maxSteps(), task.verifier(), solution,
                task.codeTimeoutMs(), task.source());
    }

    private static JsonNode renameKeys(ObjectNode data, Map<String, String> renamed) {
        for (String section : List.of("mockResponses", "fixtures")) {
            if (data.get(section) instanceof ObjectNode byTool) {
                Map<String, JsonNode> entries = new LinkedHashMap<>();
                byTool.properties().forEach(entry -> entries.put(renamed.getOrDefault(entry.getKey(), entry.getKey()), entry.getValue()));
                byTool.removeAll();
                entries.forEach(byTool::set);
            }
        }
        return data;
    }

    static String internal(String declared, Task task) {
        return declared + MARK + task.id().replace('.', '_');
    }

    /** {@code name} as the task sees it: the declared name of its own copy, null for another task's copy, else itself. */
    static String visible(String name, Task task) {
        String own = MARK + task.id().replace('.', '_');
        if (name.endsWith(own) && name.length() > own.length()) {
            return name.substring(0, name.length() - own.length());
        }
        return name.contains(MARK) ? null : name;
    }

    /** The tools a task's sessions are offered, as {@link ExposedTools#of} names them, each still calling its own copy. */
    static Map<String, ExposedTools.Exposed> exposed(Task task, List<ComponentInfo> components, Set<String> reserved) {
        Map<String, ToolDefinition> copies = new HashMap<>();
        List<ComponentInfo> visible = new ArrayList<>();
        for (ComponentInfo component : components) {
            List<ToolDefinition> tools = new ArrayList<>();
            for (ToolDefinition tool : component.tools()) {
                String name = visible(tool.name(), task);
                if (name != null && !name.equals(tool.name())) {
                    copies.put(component.name() + "/" + name, tool);
                    tools.add(new ToolDefinition(name, tool.description(), tool.inputSchema(), tool.annotations()));
                } else if (name != null) {
                    tools.add(tool);
                }
            }
            visible.add(new ComponentInfo(component.name(), component.description(), tools, component.capabilities()));
        }
        Map<String, ExposedTools.Exposed> exposed = ExposedTools.of(visible, reserved);
        exposed.replaceAll((name, tool) -> {
            ToolDefinition copy = copies.get(tool.component() + "/" + tool.definition().name());
            return copy == null ? tool : new ExposedTools.Exposed(tool.component(), copy);
        });
        return exposed;
    }

    /** The trace as the task's verifier reads it: its own copies under their declared names. */
    static TraceSnapshot declared(TraceSnapshot trace, Task task) {
        List<TraceEntry> calls = trace.calls().stream().map(call -> {
            String name = call.tool() == null ? null : visible(call.tool(), task);
            return name == null || name.equals(call.tool()) ? call
                    : new TraceEntry(call.seq(), call.at(), call.component(), name, call.args(), call.success(), call.result(), call.errorType(), call.durationMicros());
        }).toList();
        return new TraceSnapshot(calls, trace.dropped());
    }
}
