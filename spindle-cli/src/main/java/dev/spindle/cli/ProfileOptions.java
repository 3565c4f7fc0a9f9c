package dev.spindle.cli;

import dev.spindle.profiles.Profiles;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --profile NAME} (repeatable): which tool sets a server offers; Spindle's own when none is named. */
final class ProfileOptions {
    @Option(names = "--profile", paramLabel = "NAME",
            description = {"A tool set to offer (repeatable): spindle (Spindle's own tools, the default)",
                    "or claude-code (Claude Code's Bash, Read, Write, Edit, MultiEdit, Glob, Grep, LS, TodoWrite at /claude-code/execute);",
                    "see docs/profiles.md."})
    List<String> profiles = new ArrayList<>();

    List<String> names() {
        return profiles.isEmpty() ? List.of(Profiles.SPINDLE) : List.copyOf(profiles);
    }
}
