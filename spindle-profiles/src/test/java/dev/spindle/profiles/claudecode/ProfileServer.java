package dev.spindle.profiles.claudecode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.profiles.ProfileComponent;
import dev.spindle.sandbox.Limits;
import dev.spindle.sandbox.RootFilesystem;
import dev.spindle.sandbox.Sandboxes;
import dev.spindle.server.Offerings;
import dev.spindle.server.ServerConfig;
import dev.spindle.server.SpindleServer;
import dev.spindle.shell.Terminal;
import dev.spindle.testing.Prerequisite;
import dev.spindle.vfs.VfsComponent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * A real server on a free port serving the claude-code profile (and the VFS, to change files behind the
 * profile's back, as a user or a linter would), on this host's sandbox when it has one.
 */
final class ProfileServer implements AutoCloseable {
    private final Sandboxes sandboxes;
    private final ToolRuntime runtime;
    private final SpindleServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ProfileServer(Path home) {
        this(home, new MemoryStore());
    }

    /** {@code home} holds the sessions' workspaces; the server owns {@code store} from here on. */
    ProfileServer(Path home, KeyValueStore store) {
        sandboxes = Sandboxes.open(RootFilesystem.host(), home, 1L << 30, Limits.DEFAULTS.withFileSizeBytes(Quotas.DEFAULTS.maxFileBytes()));
        Terminal terminal = new Terminal(sandboxes);
        runtime = ToolRuntime.builder().withStore(store).withOwned(sandboxes).withComponent(new VfsComponent())
                .withComponent(new ProfileComponent(ClaudeCode.profile(terminal, Duration.ofMinutes(10)), terminal)).build();
        server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(2).withWorkers(8), Offerings.NONE);
    }

    /** Skips (or fails under SPINDLE_REQUIRE_SANDBOX) where this host makes no sandboxes: for tests that run Bash. */
    ProfileServer requireSandbox() {
        Prerequisite.require(sandboxes.sandbox().isPresent(), "SPINDLE_REQUIRE_SANDBOX", "no sandbox here: " + sandboxes.unavailable());
        return this;
    }

    /** {@code POST /claude-code/execute}: the whole envelope. */
    JsonNode call(String session, String tool, String args) {
        return post("/claude-code/execute", "{\"session_id\":" + Json.write(session) + ",\"tool\":" + Json.write(tool) + ",\"args\":" + args + "}");
    }

    /** A call that must succeed: its result text. */
    String ok(String session, String tool, String args) {
        JsonNode envelope = call(session, tool, args);
        assertThat(envelope.path("success").asBoolean()).as(tool + " " + args + " -> " + envelope).isTrue();
        return envelope.path("result").asString();
    }

    /** A call that must fail with {@code errorType}: its message. */
    String fails(String session, String tool, String args, String errorType) {
        JsonNode envelope = call(session, tool, args);
        assertThat(envelope.path("success").asBoolean()).as(envelope.toString()).isFalse();
        assertThat(envelope.path("error_type").asString()).as(envelope.toString()).isEqualTo(errorType);
        return envelope.path("result").asString();
    }

    /** Writes a file behind the profile's back, through the VFS. */
    void writeBehind(String session, String path, String content) {
        JsonNode envelope = post("/vfs/execute", "{\"session_id\":" + Json.write(session) + ",\"tool\":\"write_file\",\"args\":{\"file_path\":"
                + Json.write(path) + ",\"content\":" + Json.write(content) + "}}");
        assertThat(envelope.path("success").asBoolean()).as(envelope.toString()).isTrue();
    }

    String file(String session, String path) {
        return get("/sessions/" + session + "/files").path("files").path(path).asString();
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET());
    }

    JsonNode post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
            return Json.parse(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        runtime.close();
    }
}
