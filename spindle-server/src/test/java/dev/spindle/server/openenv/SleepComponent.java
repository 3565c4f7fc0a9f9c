package dev.spindle.server.openenv;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Json;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** A component whose one tool, {@code sleep {ms}}, takes as long as asked: for tool timeouts. */
final class SleepComponent implements Component {
    @Override
    public String name() {
        return "sleeper";
    }

    @Override
    public String description() {
        return "a tool that takes time";
    }

    @Override
    public List<Tool> tools() {
        return List.of(new Tool() {
            @Override
            public ToolDefinition definition() {
                ObjectNode schema = Json.object().put("type", "object");
                schema.putObject("properties").putObject("ms").put("type", "integer");
                return new ToolDefinition("sleep", "Sleeps ms milliseconds", schema, null);
            }

            @Override
            public JsonNode call(ToolContext context, ObjectNode arguments) {
                try {
                    Thread.sleep(arguments.path("ms").asLong());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return StringNode.valueOf("slept");
            }

            @Override
            public Workload workload() {
                return Workload.OUTSIDE;
            }
        });
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }
}
