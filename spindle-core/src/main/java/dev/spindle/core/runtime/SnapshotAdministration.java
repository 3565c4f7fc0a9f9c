package dev.spindle.core.runtime;

import dev.spindle.core.SessionInfo;
import dev.spindle.core.SnapshotInfo;
import dev.spindle.core.ToolResult;
import dev.spindle.core.TraceEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@link SnapshotAdmin} over {@link Snapshots}: takes a snapshot while no call runs in its session, and
 * restores one as a new session with its trace. The snapshot ledger is mended at start, in the background
 * (the store may be slow, or not reachable yet); a new snapshot waits for it, so that it counts them all.
 */
final class SnapshotAdministration implements SnapshotAdmin {
    /** The runtime's log, under the name operators filter on. */
    private static final Logger LOG = Logger.getLogger(ToolRuntime.class.getName());

    private final Snapshots snapshots;
    private final Sessions sessions;
    private final SessionAdministration sessionAdmin;
    private final CompletableFuture<Void> counted;

    SnapshotAdministration(Snapshots snapshots, Sessions sessions, SessionAdministration sessionAdmin, Sweeper sweeper) {
        this.snapshots = snapshots;
        this.sessions = sessions;
        this.sessionAdmin = sessionAdmin;
        this.counted = sweeper.once(this::reconcile);
    }

    /** When it fails, the next start does it. */
    private void reconcile() {
        try {
            snapshots.reconcile();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=snapshot_ledger_reconcile_failed", e);
        }
    }

    @Override
    public SnapshotInfo snapshot(String sessionId) {
        String id = UUID.randomUUID().toString();
        counted.join();
        sessions.leaseExclusively(SessionIds.check(sessionId), state -> {
            snapshots.freeze(state.id, id, new Snapshots.Manifest(Instant.now().toString(), state.id, state.seed,
                    state.ttl.toSeconds(), state.trace.snapshot().calls()));
            return null;
        });
        return snapshots.info(id);
    }

    @Override
    public byte[] snapshotArchive(String snapshotId) {
        return snapshots.archive(snapshotId);
    }

    @Override
    public SnapshotInfo importSnapshot(byte[] archive) {
        counted.join();
        return snapshots.upload(archive, UUID.randomUUID().toString());
    }

    @Override
    public boolean deleteSnapshot(String snapshotId) {
        return snapshots.delete(snapshotId);
    }

    @Override
    public SessionInfo restoreSnapshot(String snapshotId, String newId, Long seed) {
        Snapshots.Manifest manifest = snapshots.manifest(snapshotId);
        snapshots.checkRestorable(snapshotId);
        String id = newId == null ? UUID.randomUUID().toString() : newId;
        Long kept = seed == null ? manifest.seed() : SessionAdministration.checkSeed(seed);
        LiveSession state = sessions.create(id, Duration.ofSeconds(manifest.ttlSeconds()), null, kept, sid -> snapshots.copyTo(snapshotId, sid));
        for (TraceEntry call : manifest.trace()) {
            ToolResult result = call.success() ? ToolResult.ok(call.result()) : ToolResult.failure(call.errorType(), call.result());
            state.trace.add(call.at(), call.component(), call.tool(), call.args(), result, call.durationMicros());
        }
        return sessionAdmin.info(state);
    }

    /** Stops waiting for the ledger at close. */
    void close() {
        counted.cancel(false);
    }
}
