package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionPage;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SeedSources;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.wire.Wire;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The session API (ours) and the Spin-compatible cleanup routes. */
final class SessionRoutes {
    private static final int MAX_PAGE = 500;
    private static final int MAX_PREFIX_CHARS = 256;

    private final ToolRuntime runtime;
    private final Path seedRoot;

    SessionRoutes(ToolRuntime runtime, Path seedRoot) {
        this.runtime = runtime;
        this.seedRoot = seedRoot;
    }

    /**
     * {@code POST /sessions {session_id?, files?, from?, ttl_seconds?, seed?}}: create and seed in one call.
     * {@code from} ({@code {dir}} or {@code {git, ref?}}) is read first, then inline {@code files} win;
     * {@code from: {snapshot}} restores a snapshot instead.
     */
    void create(Exchange ex) {
        JsonNode body = ex.jsonObject();
        if (body.path("from").has("snapshot")) {
            restore(ex, body);
            return;
        }
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
                files, ttl.isMissingNode() || ttl.isNull() ? null : ttl.asLong(), optionalSeed(body)));
        ex.respond(201, Wire.session(info));
    }

    /** {@code POST /sessions {from: {snapshot: ID}, session_id?, seed?}}: a copy of the snapshot, as cheap as a fork. */
    private void restore(Exchange ex, JsonNode body) {
        JsonNode snapshot = body.path("from").path("snapshot");
        if (!snapshot.isString() || body.path("from").size() != 1) {
            throw Exchange.badRequest("from.snapshot must be a snapshot id (from POST /sessions/{id}/snapshot or POST /snapshots), alone in from");
        }
        if (body.has("files") || body.has("ttl_seconds")) {
            throw Exchange.badRequest("a session restored from a snapshot takes its files and TTL from it: give no files or ttl_seconds");
        }
        ex.respond(201, Wire.session(runtime.restoreSnapshot(snapshot.stringValue(), Exchange.optionalString(body, "session_id"), optionalSeed(body))));
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

    /** {@code POST /sessions/{id}/fork {session_id?, seed?}}: a copy that then diverges; it keeps the source's seed unless given one. */
    void fork(Exchange ex, String id) {
        JsonNode body = ex.jsonObject();
        ex.respond(201, Wire.session(runtime.forkSession(id, Exchange.optionalString(body, "session_id"), optionalSeed(body))));
    }

    /**
     * {@code GET /sessions?prefix=&sort=last_used|id&offset=&limit=}: one page of the live sessions, each
     * with its file count, bytes and calls, and the total that matched.
     */
    void list(Exchange ex) {
        String prefix = ex.query("prefix", "");
        if (prefix.length() > MAX_PREFIX_CHARS) {
            throw Exchange.badRequest("prefix is longer than " + MAX_PREFIX_CHARS + " characters");
        }
        SessionPage.Order order = switch (ex.query("sort", "last_used")) {
            case "last_used" -> SessionPage.Order.last_used;
            case "id" -> SessionPage.Order.id;
            default -> throw Exchange.badRequest("sort must be last_used (most recently used first) or id");
        };
        SessionPage page = runtime.listSessions(prefix, order, ex.query("offset", 0, Integer.MAX_VALUE, 0), ex.query("limit", 1, MAX_PAGE, 50));
        ArrayNode sessions = Json.array();
        page.sessions().forEach(s -> sessions.add(Wire.session(s)));
        ObjectNode json = Json.object();
        json.set("sessions", sessions);
        json.put("total", page.total()).put("offset", page.offset()).put("limit", page.limit());
        json.put("next_offset", page.nextOffset() < 0 ? null : page.nextOffset());
        ex.ok(json);
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

    private static Long optionalSeed(JsonNode body) {
        JsonNode seed = body.path("seed");
        if (seed.isMissingNode() || seed.isNull()) {
            return null;
        }
        if (!seed.canConvertToExactIntegral() || !seed.canConvertToLong() || seed.asLong() < 0) {
            throw Exchange.badRequest("seed must be a whole number from 0 to " + Long.MAX_VALUE);
        }
        return seed.asLong();
    }
}
