package dev.spindle.server.openenv;

import dev.spindle.core.Json;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.env.TaskCatalog;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.server.Offerings;
import dev.spindle.server.ServerConfig;
import dev.spindle.server.SpindleServer;
import dev.spindle.vfs.VfsComponent;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * A real runtime (VFS, a slow tool) and server on a free port serving real task files (the tests' own
 * write-hello and the examples), plus WebSocket and HTTP clients.
 */
final class EnvServer implements AutoCloseable {
    static final TaskCatalog TASKS = TaskCatalog.load(List.of(Path.of("src/test/resources/openenv-tasks"), Path.of("../examples/tasks")));

    final ToolRuntime runtime;
    final SpindleServer server;
    final Vertx clients = Vertx.vertx();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    EnvServer(UnaryOperator<EnvConfig> envs, UnaryOperator<ServerConfig> options) {
        this(r -> r, envs, options);
    }

    /** With more in the runtime ({@code runtimeOptions}: components, say). */
    EnvServer(UnaryOperator<ToolRuntime.Builder> runtimeOptions, UnaryOperator<EnvConfig> envs, UnaryOperator<ServerConfig> options) {
        runtime = runtimeOptions.apply(ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new VfsComponent())
                .withComponent(new SleepComponent())).build();
        ServerConfig config = ServerConfig.DEFAULTS.withPort(0).withEventLoops(2).withWorkers(8);
        server = SpindleServer.start(runtime, options.apply(config.withEnvs(envs.apply(EnvConfig.DEFAULTS))), Offerings.NONE.withTasks(TASKS));
    }

    static EnvServer start() {
        return new EnvServer(e -> e, c -> c);
    }

    EnvSocket socket(String... headers) {
        return EnvSocket.open(clients, server.port(), headers);
    }

    record Response(int status, JsonNode json) {}

    Response send(String method, String path, String body, String... headers) {
        HttpResponse<String> response = exchange(method, path, body, headers);
        return new Response(response.statusCode(), response.body().isEmpty() ? null : Json.parse(response.body()));
    }

    /** The answer's body as text (the Prometheus scrape). */
    String sendText(String method, String path) {
        return exchange(method, path, null).body();
    }

    private HttpResponse<String> exchange(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One JSON-RPC request on {@code POST /mcp}: its whole response. */
    JsonNode rpc(String method, String params) {
        return send("POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}").json();
    }

    @Override
    public void close() {
        clients.close();
        server.close();
        runtime.close();
        http.close();
    }
}
