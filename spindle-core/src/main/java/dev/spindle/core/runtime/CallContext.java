package dev.spindle.core.runtime;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.Capability;
import dev.spindle.core.ToolContext;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.store.KeyValueScope;
import dev.spindle.core.store.KeyValueStore;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a tool sees of the runtime during one call: its session, through {@code store} (the store, or a
 * quick call's view of it), and what its component was granted.
 */
final class CallContext implements ToolContext {
    private final LiveSession session;
    private final ComponentGrant grant;
    private final KeyValueStore store;
    private final SessionFileRules files;

    CallContext(LiveSession session, ComponentGrant grant, KeyValueStore store, SessionFileRules files) {
        this.session = session;
        this.grant = grant;
        this.store = store;
        this.files = files;
    }

    @Override
    public String sessionId() {
        return session.id;
    }

    @Override
    public String incarnation() {
        return session.incarnation;
    }

    @Override
    public OptionalLong seed() {
        return session.seed == null ? OptionalLong.empty() : OptionalLong.of(session.seed);
    }

    @Override
    public SessionFiles files() {
        grant.require(Capability.SESSION_FILES);
        return files.of(store, session.id);
    }

    /** The call's session is live already: no need to touch it as {@link ComponentGrant#session} does. */
    @Override
    public KeyValueScope state() {
        return grant.state(store, session.id);
    }

    @Override
    public AllowedHosts outbound() {
        return grant.outbound();
    }

    @Override
    public Map<String, String> variables() {
        return grant.variables();
    }
}
