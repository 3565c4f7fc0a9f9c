package dev.spindle.core;

import dev.spindle.core.text.Text;
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

    /** A string argument that is stored as file content: well-formed Unicode, or {@code InvalidArguments} naming it. */
    public String text(String name) {
        return Text.wellFormed(string(name), name);
    }

    public boolean flag(String name, boolean fallback) {
        JsonNode value = json.get(name);
        return value == null || value.isNull() ? fallback : value.asBoolean();
    }
}
