package dev.spindle.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * A named set of tools, and the capabilities they need. The tool list may change while the runtime
 * runs (the mock's catalogue does); {@link #tool} is asked on every call.
 */
public interface Component {
    String name();

    String description();

    /** The tools as they are now, in a stable order. */
    List<Tool> tools();

    Set<Capability> capabilities();

    /** The tool of that name, if any. Components with many tools override this with a map lookup. */
    default Optional<Tool> tool(String name) {
        return tools().stream().filter(t -> t.definition().name().equals(name)).findFirst();
    }

    /**
     * Operations beyond tool calls that the component offers over HTTP as {@code /{component}/{name}}
     * (the mock's {@code load-schema}, {@code add-fixture}...). Failures are {@link SpindleException}s.
     */
    default Map<String, Operation> operations() {
        return Map.of();
    }

    /**
     * What keeps the component from working as configured (a missing token, say), shown by the health
     * checks; empty when nothing does. The service stays up: other components are unaffected.
     */
    default Optional<String> warning() {
        return Optional.empty();
    }

    /**
     * What the health checks show of the component beside its warning (where it runs code, and why), or
     * empty. Asked at each {@code /health}, on an event loop: it must be cheap and never block.
     */
    default Optional<ObjectNode> health() {
        return Optional.empty();
    }

    /** Called once at registration with what the runtime grants: exactly the declared capabilities. */
    default void attach(ComponentHost host) {}

    /**
     * Called when a session was closed or expired, after its data was removed, so that the component can
     * release what it keeps for it in memory. No call of that session runs meanwhile; must not throw. A tool
     * whose calls touch what the component keeps so is not {@link Workload#SESSION_DATA}.
     */
    default void sessionClosed(String sessionId) {}
}
