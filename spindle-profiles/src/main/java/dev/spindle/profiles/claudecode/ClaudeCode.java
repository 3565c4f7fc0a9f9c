package dev.spindle.profiles.claudecode;

import dev.spindle.profiles.Profile;
import dev.spindle.shell.Terminal;
import java.time.Duration;
import java.util.List;

/**
 * Claude Code's tools (1.0.x: Bash, Glob, Grep, LS, Read, Edit, MultiEdit, Write, TodoWrite), with the
 * definitions its API requests carry and the result and error texts its tools answer, over the session's
 * files ({@code /workspace}) and terminal. See docs/profiles.md for the sources and every difference.
 */
public final class ClaudeCode {
    public static final String NAME = "claude-code";

    private ClaudeCode() {}

    /** {@code maxCommandTimeout}: the longest a Bash command may run here, whatever its {@code timeout}. */
    public static Profile profile(Terminal terminal, Duration maxCommandTimeout) {
        return new Profile(NAME, "Claude Code's tools (Bash, Read, Write, Edit, MultiEdit, Glob, Grep, LS, TodoWrite) over the session's files in /workspace",
                "Claude Code 1.0.x's tool definitions as its API requests carry them: satorisz9/mindcraft src/agent/tools/tools-prompt.md; "
                        + "Bash: RavenStorm-bit/claude-code-api-logger full-requests-clean.md",
                List.of(new BashTool(terminal, maxCommandTimeout), new GlobTool(), new GrepTool(), new LsTool(), new ReadTool(),
                        new EditTool(), new MultiEditTool(), new WriteTool(), new TodoWriteTool()));
    }
}
