package dev.spindle.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.store.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The snapshot ledger as a runtime starting on a store finds it: snapshots from before it, entries left unfinished. */
@Timeout(30)
class SnapshotLedgerTest {
    final MemoryStore store = new MemoryStore();

    /** A snapshot as a version without the ledger stored it: its partition, no entry. */
    void storeUnlisted(String snapshotId) {
        store.write(Snapshots.partition(snapshotId), data -> {
            data.put("files", "old.txt", "from before".getBytes(StandardCharsets.UTF_8));
            data.put("\u0000snapshot", "manifest", Json.writeBytes(new Snapshots.Manifest("2026-01-01T00:00:00Z", "old", null, 60, List.of()).toJson()));
            return null;
        });
    }

    void enter(String snapshotId, long bytes, long atMillis) {
        store.write(SnapshotLedger.PARTITION, data -> {
            data.put("ledger", snapshotId, Json.writeBytes(Json.object().put("bytes", bytes).put("at", atMillis)));
            return null;
        });
    }

    @Test
    void aStartCountsSnapshotsStoredBeforeTheLedgerAndForgetsEntriesNeverFinished() {
        storeUnlisted("legacy");
        enter("crashed", 1L << 40, 0); // its instance stopped between the entry and the data, long ago
        enter("being-written", 10, System.currentTimeMillis()); // another instance's, between its two writes
        try (ToolRuntime runtime = ToolRuntime.builder().withStore(store).withMaxSnapshots(3).withMaxSnapshotBytes(1L << 20).build()) {
            runtime.openSession(new SessionSpec("s", Map.of("a.txt", "x"), null));
            String taken = runtime.snapshot("s").snapshotId();
            SpindleException full = catchThrowableOfType(SpindleException.class, () -> runtime.snapshot("s"));
            assertThat(full.type()).isEqualTo(ErrorType.QuotaExceeded);
            assertThat(full.getMessage()).contains("3 snapshots are stored");
            assertThat(runtime.deleteSnapshot("legacy")).isTrue();
            assertThat(runtime.snapshot("s").snapshotId()).isNotEqualTo(taken);
        }
    }

    @Test
    void aSnapshotHoldsNoNamespaceLargerThanTheSessionQuotasAllow() {
        try (ToolRuntime runtime = ToolRuntime.builder().withStore(store).withQuotas(new Quotas(1 << 20, 5, 1 << 20)).build()) {
            runtime.openSession(new SessionSpec("s", Map.of("a.txt", "x"), null));
            store.write("s", data -> {
                for (int i = 0; i < 6; i++) {
                    data.put("state:mock", "tool" + i, new byte[1]);
                }
                return null;
            });
            SpindleException refused = catchThrowableOfType(SpindleException.class, () -> runtime.snapshot("s"));
            assertThat(refused.type()).isEqualTo(ErrorType.QuotaExceeded);
            assertThat(refused.getMessage()).contains("the session holds 6 entries", "\"state:mock\"", "may hold 5");
            assertThat(store.sessions()).noneMatch(id -> id.startsWith(Snapshots.PREFIX));
        }
    }
}
