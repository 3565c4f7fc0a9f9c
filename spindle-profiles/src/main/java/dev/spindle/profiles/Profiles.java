package dev.spindle.profiles;

import dev.spindle.core.Component;
import dev.spindle.core.ConfigException;
import dev.spindle.profiles.claudecode.ClaudeCode;
import dev.spindle.sandbox.Sandboxes;
import dev.spindle.shell.Terminal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The profiles a server can offer, by name. {@value #SPINDLE} is Spindle's own tools (the built-in
 * components, which the caller adds); every other profile is one component, its commands run in
 * {@code sandboxes}. A new profile is one more line here and its class.
 */
public final class Profiles {
    public static final String SPINDLE = "spindle";
    public static final List<String> NAMES = List.of(SPINDLE, ClaudeCode.NAME);

    private Profiles() {}

    /** The component that serves profile {@code name}; empty for {@value #SPINDLE}; an unknown name is a {@link ConfigException}. */
    public static Optional<Component> component(String name, Sandboxes sandboxes, Duration maxCommandTimeout) {
        Terminal terminal = new Terminal(sandboxes);
        return switch (name) {
            case SPINDLE -> Optional.empty();
            case ClaudeCode.NAME -> Optional.of(new ProfileComponent(ClaudeCode.profile(terminal, maxCommandTimeout), terminal));
            default -> throw new ConfigException("--profile: there is no profile '" + name + "'; the profiles are " + String.join(", ", NAMES));
        };
    }
}
