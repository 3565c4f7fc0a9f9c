package dev.spindle.core;

import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.store.KeyValueScope;
import java.util.Map;
import java.util.OptionalLong;

/** What a tool call may use: the session it runs in and the capabilities its component was granted. */
public interface ToolContext {
    String sessionId();

    /**
     * Which session of that id this is: another session made later with the same id (after a close, on this
     * instance or another one on the store) has another. What a component keeps in memory for a session
     * (a kept interpreter) belongs to one incarnation and must not be handed to the next.
     */
    String incarnation();

    /** The seed the session was opened (or forked) with; empty when it has none. */
    OptionalLong seed();

    /** The session's files; fails for a component that did not declare {@link Capability#SESSION_FILES}. */
    SessionFiles files();

    /** The component's own key-values in this session; fails without {@link Capability#STATE}. */
    KeyValueScope state();

    /** Where the component may send HTTP requests: {@link AllowedHosts#NONE} without the outbound HTTP capability. */
    AllowedHosts outbound();

    /** The component's granted variables by name; empty without the variables capability. */
    Map<String, String> variables();
}
