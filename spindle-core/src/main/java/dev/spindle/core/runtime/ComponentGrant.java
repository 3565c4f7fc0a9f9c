package dev.spindle.core.runtime;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.ComponentHost;
import dev.spindle.core.store.KeyValueScope;
import dev.spindle.core.store.KeyValueStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * What a component is granted at registration: exactly the capabilities it declares, its own state
 * namespace, nothing else. Checked when a tool asks for a capability ({@link #require}), as Spin's factors
 * hand each component only its own slice.
 */
final class ComponentGrant implements ComponentHost {
    /** Where components keep state that belongs to no session; session ids cannot start with NUL. */
    static final String GLOBAL_PARTITION = "\u0000global";

    private final String name;
    private final Set<Capability> granted;
    private final String namespace;
    private final KeyValueStore store;
    private final Sessions sessions;
    private final Sweeper sweeper;
    private AllowedHosts outbound = AllowedHosts.NONE;
    private Map<String, String> variables = Map.of();

    ComponentGrant(Component component, KeyValueStore store, Sessions sessions, Sweeper sweeper) {
        this.name = component.name();
        this.granted = Set.copyOf(component.capabilities());
        this.namespace = "state:" + name;
        this.store = store;
        this.sessions = sessions;
        this.sweeper = sweeper;
        for (Capability capability : granted) {
            switch (capability) {
                case Capability.OutboundHttp(AllowedHosts allowed) -> outbound = allowed;
                case Capability.Variables(Map<String, String> values) -> variables = values;
                case Capability.SessionFiles _, Capability.KeyValueState _ -> { } // handed out on each use, after require()
            }
        }
    }

    /** A component asking for what it did not declare is a bug in the component, not a client mistake. */
    void require(Capability capability) {
        if (!granted.contains(capability)) {
            throw new IllegalStateException("component " + name + " did not declare " + capability.kind());
        }
    }

    /** The component's state in a session a call runs in, through {@code view} (the store, or a quick call's view). */
    KeyValueScope state(KeyValueStore view, String sessionId) {
        require(Capability.STATE);
        return new KeyValueScope(view, sessionId, namespace);
    }

    @Override
    public KeyValueScope global() {
        return state(store, GLOBAL_PARTITION);
    }

    /** A session named here is created on first use, as a tool call would create it. */
    @Override
    public KeyValueScope session(String sessionId) {
        require(Capability.STATE);
        return new KeyValueScope(store, sessions.findOrCreate(sessionId).id, namespace);
    }

    @Override
    public AllowedHosts outbound() {
        return outbound;
    }

    @Override
    public Map<String, String> variables() {
        return variables;
    }

    @Override
    public void every(Duration period, Runnable chore) {
        sweeper.every(name, period, chore);
    }
}
