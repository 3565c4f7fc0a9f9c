package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.client.SpindleClient;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.server.ServerConfig;
import dev.spindle.server.SpindleServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code spindle snapshot export|import} against a real server on a free port. */
@Timeout(60)
class SnapshotCommandTest {
    @TempDir
    Path dir;

    ToolRuntime runtime;
    SpindleServer server;
    String base;
    SpindleClient client;
    final StringWriter err = new StringWriter();

    @BeforeEach
    void start() {
        runtime = Spindle.runtime(new MemoryStore()).build();
        server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0));
        base = "http://127.0.0.1:" + server.port();
        client = SpindleClient.connect(base);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
        runtime.close();
    }

    /** Runs the command; answers what it printed on stdout, parsed, or null with the exit code in {@code err}. */
    JsonNode run(int expectedExit, String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            var command = Main.commandLine();
            command.setErr(new PrintWriter(err, true));
            assertThat(command.execute(args)).as(err.toString()).isEqualTo(expectedExit);
        } finally {
            System.setOut(stdout);
        }
        String printed = out.toString(StandardCharsets.UTF_8).strip();
        return printed.isEmpty() ? null : Json.parse(printed);
    }

    @Test
    void anExportedSessionImportsAsAnIdenticalOne() throws Exception {
        client.openSession(new SessionSpec("s1", Map.of("a.txt", "alpha", "src/b.py", "print(2)\n"), null, 11L));
        Path file = dir.resolve("s1.json");
        JsonNode exported = run(0, "snapshot", "export", "s1", "-o", file.toString(), "--url", base);
        assertThat(exported.path("bytes").asLong()).isEqualTo(Files.size(file));
        assertThat(exported.path("digest").asString()).startsWith("sha256:");

        JsonNode imported = run(0, "snapshot", "import", file.toString(), "--session-id", "s2", "--url", base);
        assertThat(imported.path("digest").asString()).isEqualTo(exported.path("digest").asString());
        assertThat(imported.path("session_id").asString()).isEqualTo("s2");
        assertThat(client.exportFiles("s2")).isEqualTo(client.exportFiles("s1"));
        assertThat(client.session("s2").orElseThrow().seed()).isEqualTo(11L);
    }

    @Test
    void failuresSayWhatWentWrong() {
        assertThat(run(1, "snapshot", "export", "missing", "-o", dir.resolve("x.json").toString(), "--url", base)).isNull();
        assertThat(err.toString()).contains("Session 'missing' does not exist");
        assertThat(run(1, "snapshot", "import", dir.resolve("absent.json").toString(), "--url", base)).isNull();
        assertThat(err.toString()).contains("cannot read");
        assertThat(run(2, "snapshot", "import", "--url", base)).isNull();
    }
}
