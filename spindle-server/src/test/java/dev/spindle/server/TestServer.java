package dev.spindle.server;

import dev.spindle.core.Json;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.store.sqlite.SqliteStore;
import dev.spindle.mcp.McpToolFetcher;
import dev.spindle.mock.MockComponent;
import dev.spindle.vfs.VfsComponent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/** A real runtime and server on a free loopback port, plus a raw HTTP helper that asserts nothing. */
final class TestServer implements AutoCloseable {
    final ToolRuntime runtime;
    final SpindleServer server;
    final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    TestServer(KeyValueStore store, UnaryOperator<ToolRuntime.Builder> runtimeOptions, UnaryOperator<ServerConfig> serverOptions) {
        this.runtime = runtimeOptions.apply(ToolRuntime.builder().withStore(store).withComponent(new VfsComponent()).withComponent(new MockComponent((url, headers) -> McpToolFetcher.overHttp(url, headers, Duration.ofSeconds(20))))).build();
        this.server = SpindleServer.start(runtime, serverOptions.apply(ServerConfig.DEFAULTS.withPort(0).withEventLoops(2).withWorkers(8)));
        this.base = "http://127.0.0.1:" + server.port();
    }

    static TestServer start(String store, Path dir) {
        return new TestServer(store(store, dir), b -> b, c -> c);
    }

    static KeyValueStore store(String kind, Path dir) {
        return kind.equals("sqlite") ? new SqliteStore(dir.resolve("state.db")) : new MemoryStore();
    }

    record Response(int status, JsonNode json, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Response send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? null : Json.parse(response.body());
            return new Response(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String body) {
        return send("POST", path, body, "content-type", "application/json");
    }

    Response delete(String path) {
        return send("DELETE", path, null);
    }

    /** {@code POST /vfs/execute} in the Spin envelope shape; {@code args} is raw JSON. */
    Response vfs(String session, String tool, String args) {
        return post("/vfs/execute", "{\"session_id\":" + Json.write(session) + ",\"tool\":\"" + tool + "\",\"args\":" + args + "}");
    }

    @Override
    public void close() {
        server.close();
        runtime.close();
        http.close();
    }
}
