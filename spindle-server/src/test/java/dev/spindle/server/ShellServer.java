package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.sandbox.Limits;
import dev.spindle.sandbox.RootFilesystem;
import dev.spindle.sandbox.Sandboxes;
import dev.spindle.shell.ShellComponent;
import dev.spindle.testing.Prerequisite;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * A {@link TestServer} with the shell component on this host's sandbox, as {@code serve} wires it: commands
 * cannot write a file past the session's per-file quota. Skips (or fails under SPINDLE_REQUIRE_SANDBOX) where
 * the host makes no sandboxes.
 */
final class ShellServer implements AutoCloseable {
    final TestServer http;
    final Sandboxes sandboxes;

    private ShellServer(TestServer http, Sandboxes sandboxes) {
        this.http = http;
        this.sandboxes = sandboxes;
    }

    /** {@code home} holds the sandbox's files and the sessions' workspaces. */
    static ShellServer start(KeyValueStore store, Path home) {
        Sandboxes sandboxes = Sandboxes.open(RootFilesystem.host(), home, 1L << 30, Limits.DEFAULTS.withFileSizeBytes(Quotas.DEFAULTS.maxFileBytes()));
        if (sandboxes.sandbox().isEmpty()) {
            sandboxes.close();
            store.close();
            Prerequisite.require(false, "SPINDLE_REQUIRE_SANDBOX", "no sandbox here: " + sandboxes.unavailable());
        }
        TestServer http = new TestServer(store, r -> r.withOwned(sandboxes).withComponent(new ShellComponent(sandboxes, Duration.ofMinutes(10))), c -> c);
        return new ShellServer(http, sandboxes);
    }

    /** {@code POST /shell/execute}: the whole envelope ({@code success}, {@code result} or {@code error_type}). */
    JsonNode call(String session, String command, long timeoutMs) {
        var response = http.post("/shell/execute", "{\"session_id\":" + Json.write(session) + ",\"tool\":\"bash\",\"args\":{\"command\":"
                + Json.write(command) + ",\"timeout_ms\":" + timeoutMs + "}}");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.json();
    }

    /** A command that must succeed: its {@code {stdout, stderr, exit_code}}. */
    JsonNode bash(String session, String command) {
        JsonNode envelope = call(session, command, 30_000);
        assertThat(envelope.path("success").asBoolean()).as(envelope.toString()).isTrue();
        return Json.parse(envelope.path("result").asString());
    }

    /** {@code /health} answers healthy, and a command runs in {@code session} and in a session never used. */
    void assertServing(String session) {
        var health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("healthy");
        for (String s : new String[] {session, "bystander-" + System.nanoTime()}) {
            JsonNode echo = bash(s, "echo still here");
            assertThat(echo.path("stdout").asString()).as(s).isEqualTo("still here\n");
            assertThat(echo.path("exit_code").asInt()).isZero();
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
