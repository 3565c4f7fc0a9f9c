package dev.spindle.server;

import dev.spindle.core.Json;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.env.TaskCatalog;
import dev.spindle.store.sqlite.SqliteStore;
import dev.spindle.mcp.McpToolFetcher;
import dev.spindle.mock.MockComponent;
import dev.spindle.vfs.VfsComponent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** A real runtime and server on a free loopback port, plus a raw HTTP helper that asserts nothing. */
final class TestServer implements AutoCloseable {
    final ToolRuntime runtime;
    final SpindleServer server;
    final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    TestServer(KeyValueStore store, UnaryOperator<ToolRuntime.Builder> runtimeOptions, UnaryOperator<ServerConfig> serverOptions) {
        this(store, runtimeOptions, serverOptions, TaskCatalog.EMPTY);
    }

    TestServer(KeyValueStore store, UnaryOperator<ToolRuntime.Builder> runtimeOptions, UnaryOperator<ServerConfig> serverOptions, TaskCatalog tasks) {
        this.runtime = runtimeOptions.apply(ToolRuntime.builder().withStore(store).withComponent(new VfsComponent()).withComponent(new MockComponent((url, headers) -> McpToolFetcher.overHttp(url, headers, Duration.ofSeconds(20))))).build();
        this.server = SpindleServer.start(runtime, serverOptions.apply(ServerConfig.DEFAULTS.withPort(0).withEventLoops(2).withWorkers(8)), tasks);
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

    /** A body is sent as JSON unless the headers name another content type. */
    Response send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("content-type");
        }
        if (body != null && !typed) {
            request.header("content-type", "application/json");
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

    /** An answer read off a raw socket: status 0 when the server closed without answering. */
    record RawResponse(int status, String head, String body) {
        JsonNode json() {
            return body.isEmpty() ? null : Json.parse(body);
        }
    }

    /**
     * Sends these exact bytes (any garbage the HTTP client would refuse to send) and reads one answer,
     * by its Content-Length, or until the server closes.
     */
    RawResponse raw(byte[] request) {
        return raw(request, 1).getFirst();
    }

    /** Sends these bytes (several pipelined requests, say) on one connection and reads that many answers. */
    List<RawResponse> raw(byte[] requests, int answers) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(requests);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            List<RawResponse> read = new ArrayList<>();
            while (read.size() < answers) {
                RawResponse response = readResponse(in);
                read.add(response);
                if (response.status() == 0) {
                    break;
                }
            }
            return read;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static RawResponse readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return new RawResponse(0, head.toString(StandardCharsets.ISO_8859_1), "");
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        Matcher length = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(headers);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : in.readAllBytes();
        return new RawResponse(Integer.parseInt(headers.substring(9, 12)), headers, new String(body, StandardCharsets.UTF_8));
    }

    RawResponse raw(String request) {
        return raw(request.getBytes(StandardCharsets.UTF_8));
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String body) {
        return send("POST", path, body);
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
