package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.store.sqlite.SqliteStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SqliteRestartTest {
    @TempDir
    Path dir;

    @Test
    void sessionsAndFilesSurviveARestartOfTheServer() {
        Path db = dir.resolve(".spindle/state.db");
        try (TestServer first = new TestServer(new SqliteStore(db), b -> b, c -> c)) {
            first.post("/sessions", "{\"session_id\":\"kept\",\"seed\":9,\"files\":{\"notes.md\":\"# kept\"}}");
            first.vfs("kept", "write_file", "{\"file_path\":\"later.txt\",\"content\":\"written over HTTP\"}");
            first.vfs("dropped", "write_file", "{\"file_path\":\"x\",\"content\":\"y\"}");
            first.delete("/session/dropped");
        }
        try (TestServer second = new TestServer(new SqliteStore(db), b -> b, c -> c)) {
            assertThat(second.get("/health").json().path("sessions").asInt()).isEqualTo(1);
            var info = second.get("/sessions/kept");
            assertThat(info.status()).isEqualTo(200);
            assertThat(info.json().path("files").asInt()).isEqualTo(2);
            assertThat(info.json().path("seed").asLong()).isEqualTo(9L);
            assertThat(second.vfs("kept", "read_file", "{\"file_path\":\"later.txt\"}").json().path("result").asString()).isEqualTo("written over HTTP");
            assertThat(second.vfs("kept", "list_files", "{}").json().path("result").asString()).isEqualTo("[\"later.txt\",\"notes.md\"]");
            assertThat(second.get("/sessions/dropped").status()).isEqualTo(404);
        }
    }
}
