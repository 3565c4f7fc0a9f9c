package dev.spindle.shell;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Tool;
import dev.spindle.sandbox.Sandboxes;
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

    private final Sandboxes sandboxes;
    private final Terminal terminal;
    private final List<Tool> tools;

    /** {@code maxTimeout}: the longest {@code timeout_ms} a call may ask for. */
    public ShellComponent(Sandboxes sandboxes, Duration maxTimeout) {
        this.sandboxes = sandboxes;
        this.terminal = new Terminal(sandboxes);
        this.tools = List.of(new BashTool(terminal, maxTimeout));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return sandboxes.sandbox().isPresent() ? "Linux commands (bash) in a namespace sandbox over the session's files"
                : "Linux commands (bash): unavailable here, " + sandboxes.unavailable();
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
        return sandboxes.sandbox().isPresent() ? Optional.empty() : Optional.of("bash is unavailable: " + sandboxes.unavailable());
    }

    @Override
    public void sessionClosed(String sessionId) {
        terminal.forget(sessionId);
    }
}
