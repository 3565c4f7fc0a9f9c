package dev.spindle.profiles;

import java.util.List;

/**
 * An agent harness's tool set as data: its name (the component's, so {@code /claude-code/execute}), what it
 * is, the public definitions it follows (repository and file), and its tools, each with the harness's exact
 * definition. Tools of two profiles may share a name: each profile is a component of its own.
 */
public record Profile(String name, String description, String source, List<ProfileTool> tools) {
    public Profile {
        tools = List.copyOf(tools);
    }
}
