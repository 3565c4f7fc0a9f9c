package dev.spindle.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.KeyValueStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends KeyValueStoreContract {
    @TempDir
    Path dir;

    @Override
    protected KeyValueStore newStore() {
        return new SqliteStore(dir.resolve("nested/state.db"));
    }

    @Test
    void dataSurvivesReopening() {
        put("s", "files", "a.txt", "persisted");
        store.close();
        store = newStore();
        assertThat(get("s", "files", "a.txt")).isEqualTo("persisted");
        assertThat(store.sessions()).containsExactly("s");
    }

    @Test
    void usesWriteAheadLogging() throws Exception {
        put("s", "files", "a", "1");
        assertThat(Files.exists(dir.resolve("nested/state.db"))).isTrue();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("nested/state.db"));
                ResultSet rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void describesItsFile() {
        assertThat(store.describe()).isEqualTo("sqlite:" + dir.resolve("nested/state.db").toAbsolutePath());
        assertThat(store.blocking()).isTrue();
    }
}
