package dev.spindle.core;

import dev.spindle.core.store.KeyValueScope;
import java.time.Duration;
import java.util.Map;

/** What the runtime grants a component at registration, limited to its declared capabilities. */
public interface ComponentHost {
    /** The component's global key-values (needs {@link Capability#STATE}). */
    KeyValueScope global();

    /** The component's key-values in one session, removed with the session (needs {@link Capability#STATE}). */
    KeyValueScope session(String sessionId);

    /** Where the component may send HTTP requests: {@link AllowedHosts#NONE} without the outbound HTTP capability. */
    AllowedHosts outbound();

    /** The component's granted variables by name; empty without the variables capability. */
    Map<String, String> variables();

    /**
     * Runs {@code chore} every {@code period} on a background thread of the runtime until it closes, for work
     * that may wait on the store and so must not run where calls are served (an event loop); a failure is
     * logged and the chore runs again at its next turn.
     */
    void every(Duration period, Runnable chore);
}
