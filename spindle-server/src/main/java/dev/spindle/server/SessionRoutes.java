package dev.spindle.server;

import dev.spindle.core.Json;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.wire.Wire;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The session API (ours) and the Spin-compatible cleanup routes. */
final class SessionRoutes {
    private final ToolRuntime runtime;

    SessionRoutes(ToolRuntime runtime) {
        this.runtime = runtime;
    }

    /** {@code POST /sessions {session_id?, files?, ttl_seconds?}}: create and seed in one call. */
    void create(Exchange ex) {
        JsonNode body = object(ex);
        if (body.has("from")) {
            throw Exchange.badRequest("'from' seeds (dir, git, archive) are not available yet; pass the files inline as {\"files\": {path: content}}");
        }
        Map<String, String> files = new LinkedHashMap<>();
        JsonNode given = body.path("files");
        if (!given.isMissingNode() && !given.isNull()) {
            if (!given.isObject()) {
                throw Exchange.badRequest("files must be an object mapping paths to text content");
            }
            for (Map.Entry<String, JsonNode> file : given.properties()) {
                if (!file.getValue().isString()) {
                    throw Exchange.badRequest("files." + file.getKey() + " must be a string (the file's text content)");
                }
                files.put(file.getKey(), file.getValue().stringValue());
            }
        }
        JsonNode ttl = body.path("ttl_seconds");
        if (!ttl.isMissingNode() && !ttl.isNull() && !ttl.canConvertToExactIntegral()) {
            throw Exchange.badRequest("ttl_seconds must be a whole number of seconds");
        }
        SessionInfo info = runtime.openSession(new SessionSpec(optionalId(body),
                files, ttl.isMissingNode() || ttl.isNull() ? null : ttl.asLong()));
        ex.respond(201, Wire.session(info));
    }

    /** {@code POST /sessions/{id}/fork {session_id?}}: a copy that then diverges. */
    void fork(Exchange ex, String id) {
        ex.respond(201, Wire.session(runtime.forkSession(id, optionalId(object(ex)))));
    }

    void get(Exchange ex, String id) {
        ex.ok(Wire.session(runtime.requireSession(id)));
    }

    void files(Exchange ex, String id) {
        ObjectNode files = Json.object();
        runtime.exportFiles(id).forEach(files::put);
        ObjectNode json = Json.object().put("session_id", id);
        json.set("files", files);
        ex.ok(json);
    }

    void trace(Exchange ex, String id) {
        ex.ok(Wire.trace(id, runtime.trace(id)));
    }

    /** {@code DELETE /sessions/{id}}: 404 for an unknown session. */
    void delete(Exchange ex, String id) {
        ex.ok(deleted(runtime.closeExisting(id)));
    }

    /** {@code DELETE /session/{id}} and {@code /vfs/session/{id}}: DeepFabric's cleanup, 200 even when nothing was there. */
    void cleanup(Exchange ex, String id) {
        ex.ok(deleted(runtime.closeSession(id)));
    }

    private static ObjectNode deleted(int files) {
        return Json.object().put("success", true).put("deleted_files", files);
    }

    private static JsonNode object(Exchange ex) {
        JsonNode body = ex.json();
        if (!body.isObject()) {
            throw Exchange.badRequest("Request body must be a JSON object");
        }
        return body;
    }

    private static String optionalId(JsonNode body) {
        JsonNode id = body.get("session_id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isString()) {
            throw Exchange.badRequest("session_id must be a string");
        }
        return id.stringValue();
    }
}
