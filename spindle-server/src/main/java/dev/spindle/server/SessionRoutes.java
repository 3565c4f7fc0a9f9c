package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionPage;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.config.ConfigText;
import dev.spindle.core.config.Problems;
import dev.spindle.core.files.SeedSpec;
import dev.spindle.core.runtime.SessionAdmin;
import dev.spindle.core.runtime.SnapshotAdmin;
import dev.spindle.core.wire.Wire;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The session API (ours) and the Spin-compatible cleanup routes. */
final class SessionRoutes {
    private static final int MAX_PAGE = 500;
    private static final int MAX_PREFIX_CHARS = 256;

    private final SessionAdmin sessions;
    /** For {@code from: {snapshot}}. */
    private final SnapshotAdmin snapshots;
    private final Path seedRoot;

    <R extends SessionAdmin & SnapshotAdmin> SessionRoutes(R runtime, Path seedRoot) {
        this.sessions = runtime;
        this.snapshots = runtime;
        this.seedRoot = seedRoot;
    }

    /**
     * {@code POST /sessions {session_id?, files?, from?, ttl_seconds?, seed?}}: create and seed in one call, by
     * {@link SeedSpec}'s rule: {@code from} ({@code {dir}} or {@code {git, ref?}}) is read first, then inline
     * {@code files} win; {@code from: {snapshot}} restores a snapshot instead.
     */
    void create(Exchange ex) {
        JsonNode body = ex.jsonObject();
        SeedSpec seed = seed(body);
        if (seed.source() instanceof SeedSpec.Snapshot snapshot) {
            restore(ex, body, snapshot.id());
            return;
        }
        JsonNode ttl = body.path("ttl_seconds");
        if (!ttl.isMissingNode() && !ttl.isNull() && !(ttl.canConvertToExactIntegral() && ttl.canConvertToLong())) {
            throw Exchange.badRequest("ttl_seconds must be a whole number of seconds, from 1 to 2592000 (30 days)");
        }
        SessionInfo info = sessions.openSession(new SessionSpec(Exchange.optionalString(body, "session_id"),
                files(seed), ttl.isMissingNode() || ttl.isNull() ? null : ttl.asLong(), optionalSeed(body)));
        ex.respond(201, Wire.session(info));
    }

    /** The body's {@code files} and {@code from}; a malformed one is {@code InvalidRequest} naming every key at fault. */
    private static SeedSpec seed(JsonNode body) {
        Problems problems = new Problems(ConfigText.of(body));
        SeedSpec seed = SeedSpec.read(problems.root(), "from");
        if (problems.hasErrors()) {
            throw Exchange.badRequest(String.join("; ", problems.errors()));
        }
        return seed;
    }

    /** {@code POST /sessions {from: {snapshot: ID}, session_id?, seed?}}: a copy of the snapshot, as cheap as a fork. */
    private void restore(Exchange ex, JsonNode body, String snapshot) {
        if (body.has("ttl_seconds")) {
            throw Exchange.badRequest("a session restored from a snapshot takes its files and TTL from it: give no files or ttl_seconds");
        }
        ex.respond(201, Wire.session(snapshots.restoreSnapshot(snapshot, Exchange.optionalString(body, "session_id"), optionalSeed(body))));
    }

    /** Folders and local repositories only under {@code --seed-root}; remote git only when a root is set at all. */
    private Map<String, String> files(SeedSpec seed) {
        if (seed.source() != null && seedRoot == null) {
            throw new SpindleException(ErrorType.NotAllowed, "this server does not seed sessions from folders or git; start it with --seed-root DIR");
        }
        return seed.filesUnder(seedRoot);
    }

    /** {@code POST /sessions/{id}/fork {session_id?, seed?}}: a copy that then diverges; it keeps the source's seed unless given one. */
    void fork(Exchange ex, String id) {
        JsonNode body = ex.jsonObject();
        ex.respond(201, Wire.session(sessions.forkSession(id, Exchange.optionalString(body, "session_id"), optionalSeed(body))));
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
        SessionPage page = sessions.listSessions(prefix, order, ex.query("offset", 0, Integer.MAX_VALUE, 0), ex.query("limit", 1, MAX_PAGE, 50));
        ArrayNode listed = Json.array();
        page.sessions().forEach(s -> listed.add(Wire.session(s)));
        ObjectNode json = Json.object();
        json.set("sessions", listed);
        json.put("total", page.total()).put("offset", page.offset()).put("limit", page.limit());
        json.put("next_offset", page.nextOffset() < 0 ? null : page.nextOffset());
        ex.ok(json);
    }

    void get(Exchange ex, String id) {
        ex.ok(Wire.session(sessions.requireSession(id)));
    }

    void files(Exchange ex, String id) {
        ObjectNode files = Json.object();
        sessions.exportFiles(id).forEach(files::put);
        ObjectNode json = Json.object().put("session_id", id);
        json.set("files", files);
        ex.ok(json);
    }

    void trace(Exchange ex, String id) {
        ex.ok(Wire.trace(id, sessions.traceSnapshot(id)));
    }

    /** {@code DELETE /sessions/{id}}: 404 for an unknown session. */
    void delete(Exchange ex, String id) {
        ex.ok(deleted(sessions.closeExisting(id)));
    }

    /** {@code DELETE /session/{id}} and {@code /vfs/session/{id}}: DeepFabric's cleanup, 200 even when nothing was there. */
    void cleanup(Exchange ex, String id) {
        ex.ok(deleted(sessions.closeSession(id)));
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
