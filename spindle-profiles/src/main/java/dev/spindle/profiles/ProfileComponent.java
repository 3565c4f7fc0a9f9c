package dev.spindle.profiles;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Tool;
import dev.spindle.shell.Terminal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A profile served as a component: its tools answer at {@code /{profile}/execute}, work on the session's
 * files, and keep what the harness keeps per session (files read, a todo list, the terminal) in the
 * component's state, so it forks, snapshots and is shared by the instances on one store.
 */
public final class ProfileComponent implements Component {
    private final Profile profile;
    private final Terminal terminal;
    private final List<Tool> tools;
    private final Map<String, Tool> byName;

    /** {@code terminal}: where the profile's commands run, whose local workspaces a closed session releases. */
    public ProfileComponent(Profile profile, Terminal terminal) {
        this.profile = profile;
        this.terminal = terminal;
        this.tools = List.copyOf(profile.tools());
        this.byName = tools.stream().collect(Collectors.toUnmodifiableMap(t -> t.definition().name(), t -> t));
    }

    public Profile profile() {
        return profile;
    }

    @Override
    public String name() {
        return profile.name();
    }

    @Override
    public String description() {
        return profile.description();
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    @Override
    public Optional<Tool> tool(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.SESSION_FILES, Capability.STATE);
    }

    @Override
    public void sessionClosed(String sessionId) {
        terminal.forget(sessionId);
    }
}
