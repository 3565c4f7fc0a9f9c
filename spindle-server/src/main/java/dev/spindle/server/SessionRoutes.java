package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SeedSources;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.wire.Wire;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The session API (ours) and the Spin-compatible cleanup routes. */
final class SessionRoutes {
    private final ToolRuntime runtime;
    private final Path seedRoot;

    SessionRoutes(ToolRuntime runtime, Path seedRoot) {
        this.runtime = runtime;
        this.seedRoot = seedRoot;
    }

    /**
     * {@code POST /sessions {session_id?, files?, from?, ttl_seconds?}}: create and seed in one call.
     * {@code from} ({@code {dir}} or {@code {git, ref?}}) is read first, then inline {@code files} win.
     */
    void create(Exchange ex) {
        JsonNode body = ex.jsonObject();
        Map<String, String> files = new LinkedHashMap<>(from(body.path("from")));
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
        if (!ttl.isMissingNode() && !ttl.isNull() && !(ttl.canConvertToExactIntegral() && ttl.canConvertToLong())) {
            throw Exchange.badRequest("ttl_seconds must be a whole number of seconds, from 1 to 2592000 (30 days)");
        }
        SessionInfo info = runtime.openSession(new SessionSpec(Exchange.optionalString(body, "session_id"),
                files, ttl.isMissingNode() || ttl.isNull() ? null : ttl.asLong()));
        ex.respond(201, Wire.session(info));
    }

    /** Folders and local repositories only under {@code --seed-root}; remote git only when a root is set at all. */
    private Map<String, String> from(JsonNode from) {
        if (from.isMissingNode() || from.isNull()) {
            return Map.of();
        }
        if (!from.isObject() || from.has("dir") == from.has("git") && !from.has("archive")) {
            throw Exchange.badRequest("from must be {\"dir\": PATH} or {\"git\": URL, \"ref\": BRANCH_OR_TAG}");
        }
        if (from.has("archive")) {
            throw Exchange.badRequest("archive seeds are not supported; unpack the archive into a folder under the seed root and use from.dir");
        }
        if (seedRoot == null) {
            throw new SpindleException(ErrorType.NotAllowed, "this server does not seed sessions from folders or git; start it with --seed-root DIR");
        }
        String ref = from.path("ref").isMissingNode() || from.path("ref").isNull() ? null : text(from, "ref");
        return SeedSources.from(seedRoot, from.has("dir") ? text(from, "dir") : null, from.has("dir") ? null : text(from, "git"), ref);
    }

    private static String text(JsonNode from, String key) {
        if (!from.path(key).isString() || from.get(key).stringValue().isBlank()) {
            throw Exchange.badRequest("from." + key + " must be a non-empty string");
        }
        return from.get(key).stringValue();
    }

    /** {@code POST /sessions/{id}/fork {session_id?}}: a copy that then diverges. */
    void fork(Exchange ex, String id) {
        ex.respond(201, Wire.session(runtime.forkSession(id, Exchange.optionalString(ex.jsonObject(), "session_id"))));
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
        ex.ok(Wire.trace(id, runtime.traceSnapshot(id)));
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
}
