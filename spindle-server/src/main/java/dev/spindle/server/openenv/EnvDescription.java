package dev.spindle.server.openenv;

import dev.spindle.core.Json;
import dev.spindle.core.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code GET /schema} and {@code GET /metadata} answer: the JSON Schemas of the action (OpenEnv's
 * {@code list_tools} / {@code call_tool} union), observation and state, kept as a resource beside this
 * class; and the environment's name, description and version.
 */
public final class EnvDescription {
    private static final JsonNode SCHEMA = load("schema.json");

    private EnvDescription() {}

    public static JsonNode schema() {
        return SCHEMA;
    }

    public static ObjectNode metadata() {
        return Json.object().put("name", "spindle")
                .put("description", "Sandboxed tool environments: a virtual filesystem, mock APIs, code execution and WebAssembly tools, "
                        + "one isolated Spindle session per episode; tasks end with a submit tool that runs a verifier.")
                .put("version", Version.CURRENT);
    }

    private static JsonNode load(String name) {
        try (InputStream in = EnvDescription.class.getResourceAsStream(name)) {
            return Json.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
