package dev.spindle.core;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A host capability a component may ask the runtime for, with its configuration (Spin's factors). A
 * component declares what it needs in {@link Component#capabilities()}; the runtime grants exactly that,
 * through {@link ToolContext} and {@link ComponentHost}, and shows it in {@code GET /components}.
 * The configuration is set where the component is built: the composition root, serve flags or spindle.toml.
 */
public sealed interface Capability {
    /** The session's virtual files, under the runtime's path policy and quotas. */
    Capability SESSION_FILES = new SessionFiles();
    /** Key-values of its own: one namespace per session (dropped with it) and one global. */
    Capability STATE = new KeyValueState();

    /** Outbound HTTP to the hosts {@code allowed} grants. */
    static Capability outbound(AllowedHosts allowed) {
        return new OutboundHttp(allowed);
    }

    /** Named configuration values. */
    static Capability variables(Map<String, String> values) {
        return new Variables(values);
    }

    /** The key this capability has in a component's {@code capabilities} on the wire. */
    String kind();

    /** What {@code /components} shows of the grant: never a variable's value, which may be a secret. */
    JsonNode describe();

    record SessionFiles() implements Capability {
        @Override
        public String kind() {
            return "session_files";
        }

        @Override
        public JsonNode describe() {
            return Json.object();
        }
    }

    record KeyValueState() implements Capability {
        @Override
        public String kind() {
            return "key_value";
        }

        @Override
        public JsonNode describe() {
            return Json.object();
        }
    }

    record OutboundHttp(AllowedHosts allowed) implements Capability {
        @Override
        public String kind() {
            return "outbound_http";
        }

        @Override
        public JsonNode describe() {
            ObjectNode json = Json.object();
            allowed.patterns().forEach(json.putArray("allowed_hosts")::add);
            return json;
        }
    }

    /** @param values by name, in declaration order */
    record Variables(Map<String, String> values) implements Capability {
        public Variables {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        @Override
        public String kind() {
            return "variables";
        }

        @Override
        public JsonNode describe() {
            ObjectNode json = Json.object();
            values.keySet().forEach(json.putArray("names")::add);
            return json;
        }
    }

    /** The capabilities as {@code /components} shows them: {@code {kind: details}}. */
    static ObjectNode describe(Set<Capability> capabilities) {
        ObjectNode json = Json.object();
        capabilities.stream().sorted(Comparator.comparing(Capability::kind)).forEach(c -> json.set(c.kind(), c.describe()));
        return json;
    }
}
