package dev.spindle.mock;

import dev.spindle.core.AllowedHosts;
import java.util.List;

/** The mock's outbound HTTP grant: where {@code /mock/pull} may fetch tool definitions from. */
public final class MockOutbound {
    /**
     * Any public host, and this machine by name (where a local MCP server usually runs, as in README's
     * examples); private and link-local networks (cloud metadata at 169.254.169.254) only when granted.
     */
    public static final AllowedHosts DEFAULT = of(List.of("*://*:*", "*://127.0.0.1:*", "*://localhost:*"));

    private MockOutbound() {}

    /** A grant of {@code patterns}, whose refusals say how an operator grants more. */
    public static AllowedHosts of(List<String> patterns) {
        return AllowedHosts.of(patterns, "allow it with serve --mock-outbound PATTERN (e.g. --mock-outbound 'http://10.0.0.5:*')");
    }
}
