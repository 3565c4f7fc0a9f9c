package dev.spindle.shell;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Tool;
import dev.spindle.sandbox.Limits;
import dev.spindle.sandbox.Sandbox;
import dev.spindle.sandbox.Workspaces;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Real Linux commands over the session's files: {@code bash} runs in a namespace sandbox on the session's
 * local workspace. Where this host cannot make sandboxes, the component is still listed, says why in its
 * warning, and {@code bash} answers that reason as a typed error. See docs/shell.md.
 */
public final class ShellComponent implements Component {
    public static final String NAME = "shell";

    private final Optional<Sandbox> sandbox;
    private final String unavailable;
    private final Workspaces workspaces;
    private final List<Tool> tools;

    public ShellComponent(Sandbox.Availability availability, Workspaces workspaces, Limits limits, Duration maxTimeout) {
        this.sandbox = availability.get();
        this.unavailable = availability.reason();
        this.workspaces = workspaces;
        this.tools = List.of(new BashTool(this, limits, maxTimeout));
    }

    Optional<Sandbox> sandbox() {
        return sandbox;
    }

    String unavailable() {
        return unavailable;
    }

    Workspaces workspaces() {
        return workspaces;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return sandbox.isPresent() ? "Linux commands (bash) in a namespace sandbox over the session's files"
                : "Linux commands (bash): unavailable here, " + unavailable;
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.SESSION_FILES, Capability.STATE);
    }

    @Override
    public Optional<String> warning() {
        return sandbox.isPresent() ? Optional.empty() : Optional.of("bash is unavailable: " + unavailable);
    }

    @Override
    public void sessionClosed(String sessionId) {
        workspaces.forget(BashTool.workspacePrefix(sessionId));
    }
}
