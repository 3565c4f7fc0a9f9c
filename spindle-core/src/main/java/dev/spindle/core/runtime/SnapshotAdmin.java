package dev.spindle.core.runtime;

import dev.spindle.core.SessionInfo;
import dev.spindle.core.SnapshotInfo;

/** Snapshots of sessions, which outlive them: what the snapshot routes depend on. */
public interface SnapshotAdmin {
    /**
     * Freezes the session (files, component state, seed, trace) as a snapshot that outlives it, taken while
     * no call runs in it; see {@code Snapshots}.
     */
    SnapshotInfo snapshot(String sessionId);

    /** The snapshot's portable archive (JSON, the same bytes each time); {@code NotFound} when there is none. */
    byte[] snapshotArchive(String snapshotId);

    /** Stores an uploaded archive as a new snapshot, once it passed every check (paths, quotas, shape). */
    SnapshotInfo importSnapshot(byte[] archive);

    /** True when there was such a snapshot. */
    boolean deleteSnapshot(String snapshotId);

    /**
     * A new session copied from the snapshot (files, component state, trace, and its seed unless {@code seed}
     * is given), as cheap as a fork.
     */
    SessionInfo restoreSnapshot(String snapshotId, String newId, Long seed);
}
