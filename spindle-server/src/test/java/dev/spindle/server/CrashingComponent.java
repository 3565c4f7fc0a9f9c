package dev.spindle.server;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Schema;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * A component whose tools fail the way a bug does, with an {@link Error}: {@code oom_<kind>} throws
 * {@link OutOfMemoryError} and {@code overflow_<kind>} recurses into a {@link StackOverflowError}, for each
 * {@link Workload} kind (so on each thread a call may run on); {@code fine} answers "fine". It keeps nothing
 * outside the store, so on Redis its store-only tools run as quick calls.
 */
public final class CrashingComponent implements Component {
    public static final String NAME = "crasher";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "tools that fail with an Error";
    }

    @Override
    public List<Tool> tools() {
        List<Tool> tools = new ArrayList<>();
        for (Workload workload : Workload.values()) {
            String kind = workload.name().toLowerCase();
            tools.add(new Crash("oom_" + kind, workload, () -> {
                throw new OutOfMemoryError("Java heap space (test)");
            }));
            tools.add(new Crash("overflow_" + kind, workload, CrashingComponent::recurse));
        }
        tools.add(new Crash("fine", Workload.SESSION_DATA, () -> { }));
        return tools;
    }

    private static int recurse() {
        return recurse() + 1;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    private record Crash(String name, Workload workload, Runnable failure) implements Tool {
        public ToolDefinition definition() {
            return new ToolDefinition(name, "fails with an Error", Schema.object().build(), null);
        }

        public JsonNode call(ToolContext context, ObjectNode arguments) {
            failure.run();
            return StringNode.valueOf("fine");
        }
    }

    /** Warnings with a stack logged anywhere while it is open (the root logger's). */
    public static final class LoggedFailures implements AutoCloseable {
        private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
        private final Logger root = Logger.getLogger("");
        private final Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue() && record.getThrown() != null) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };

        public LoggedFailures() {
            root.addHandler(capture);
        }

        /** The kinds of what was logged with its stack, by class name. */
        public List<String> thrown() {
            synchronized (records) {
                return records.stream().map(r -> r.getThrown().getClass().getSimpleName()).toList();
            }
        }

        @Override
        public void close() {
            root.removeHandler(capture);
        }
    }
}
