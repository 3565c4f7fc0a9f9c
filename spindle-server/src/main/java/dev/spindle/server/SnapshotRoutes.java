package dev.spindle.server;

import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SnapshotInfo;
import dev.spindle.core.SpindleException;
import dev.spindle.core.runtime.SnapshotAdmin;
import tools.jackson.databind.node.ObjectNode;

/** Snapshots of sessions: take one, download its archive, upload one, delete one (restore is {@code POST /sessions}). */
final class SnapshotRoutes {
    private final SnapshotAdmin snapshots;

    SnapshotRoutes(SnapshotAdmin snapshots) {
        this.snapshots = snapshots;
    }

    /** {@code POST /sessions/{id}/snapshot}: 201 {@code {snapshot_id, digest, bytes}}. */
    void take(Exchange ex, String sessionId) {
        ex.respond(201, info(snapshots.snapshot(sessionId)));
    }

    /** {@code GET /snapshots/{id}}: the archive, exactly the bytes its digest was taken of (held once, not copied). */
    void download(Exchange ex, String snapshotId) {
        ex.bytes(200, "application/json", snapshots.snapshotArchive(snapshotId));
    }

    /** {@code POST /snapshots}: an archive in the body, checked and stored under a new id. */
    void upload(Exchange ex) {
        ex.respond(201, info(snapshots.importSnapshot(ex.body == null ? new byte[0] : ex.body.getBytes())));
    }

    /** {@code DELETE /snapshots/{id}}: 404 when there is none. */
    void delete(Exchange ex, String snapshotId) {
        if (!snapshots.deleteSnapshot(snapshotId)) {
            throw new SpindleException(HttpError.NotFound, "Snapshot '" + snapshotId + "' does not exist");
        }
        ex.ok(Json.object().put("deleted", true).put("snapshot_id", snapshotId));
    }

    private static ObjectNode info(SnapshotInfo info) {
        return Json.object().put("snapshot_id", info.snapshotId()).put("digest", info.digest()).put("bytes", info.bytes());
    }
}
