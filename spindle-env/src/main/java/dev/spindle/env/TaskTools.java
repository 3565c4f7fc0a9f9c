package dev.spindle.env;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ExposedTools;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tools a task offers, computed in one place for every way an agent plays it ({@link TaskEnvironment}
 * for the HTTP routes and {@code task check}, OpenEnv episodes): all of them when the task lists none;
 * otherwise those whose name (as {@link ExposedTools} offers it), prefixed name {@code <component>__<tool>}
 * or component the task lists. The list is matched against the tools themselves, so a protocol that
 * reserves names (OpenEnv's {@code reset}, {@code submit}) offers an allowed tool under its prefixed name
 * instead of dropping it. A mock tool two tasks define differently is offered as each task's own copy
 * ({@link ScopedMockTools}).
 */
final class TaskTools {
    private TaskTools() {}

    /** Offered name to tool, in registration order; {@code reserved} names are offered prefixed. */
    static Map<String, ExposedTools.Exposed> offered(Task task, List<ComponentInfo> components, Set<String> reserved) {
        Map<String, ExposedTools.Exposed> offered = ScopedMockTools.exposed(task, components, reserved);
        if (!task.tools().isEmpty()) {
            Set<ExposedTools.Exposed> allowed = new HashSet<>();
            ScopedMockTools.exposed(task, components, Set.of()).forEach((name, tool) -> {
                if (task.tools().contains(name) || task.tools().contains(tool.component())
                        || task.tools().contains(ExposedTools.prefixed(tool.component(), ScopedMockTools.visible(tool.definition().name(), task)))) {
                    allowed.add(tool);
                }
            });
            offered.values().retainAll(allowed);
        }
        return offered;
    }

    /** The names in the task's {@code tools} that name no tool and no component (a typo would hide a tool). */
    static List<String> unknown(Task task, List<ComponentInfo> components) {
        Set<String> known = new HashSet<>(ScopedMockTools.exposed(task, components, Set.of()).keySet());
        for (ComponentInfo component : components) {
            known.add(component.name());
            component.tools().forEach(tool -> {
                String name = ScopedMockTools.visible(tool.name(), task);
                if (name != null) {
                    known.add(name);
                    known.add(ExposedTools.prefixed(component.name(), name));
                }
            });
        }
        return task.tools().stream().filter(name -> !known.contains(name)).toList();
    }
}
