package dev.spindle.core;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Typed reads of a call's arguments, which the runtime has already validated against the schema. */
public record Arguments(ObjectNode json) {

    public String string(String name) {
        return json.path(name).asString();
    }

    /** The string argument, or {@code fallback} when absent or null. */
    public String string(String name, String fallback) {
        JsonNode value = json.get(name);
        return value == null || value.isNull() ? fallback : value.asString();
    }

    public boolean flag(String name, boolean fallback) {
        JsonNode value = json.get(name);
        return value == null || value.isNull() ? fallback : value.asBoolean();
    }
}
