package dev.spindle.profiles;

import dev.spindle.core.Json;
import dev.spindle.core.ToolDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads a tool's definition from the JSON resource named after it, beside the class that implements it. */
final class ToolDefinitions {
    private ToolDefinitions() {}

    static ToolDefinition resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("no definition " + name + ".json beside " + owner.getName());
            }
            ToolDefinition definition = ToolDefinition.fromJson(Json.MAPPER.readTree(in));
            if (!definition.name().equals(name)) {
                throw new IllegalStateException(name + ".json defines " + definition.name());
            }
            return definition;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
