package dev.spindle.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A tiny HTTP server on a free loopback port answering one path with a fixed answer. */
public final class LoopbackHttp implements AutoCloseable {
    private final HttpServer server;
    public final String url;

    private LoopbackHttp(HttpServer server, String path) {
        this.server = server;
        this.url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** 200 with {@code body}. */
    public static LoopbackHttp serving(String path, String body) throws IOException {
        return answering(path, 200, "text/plain", body);
    }

    /** {@code status} with {@code body} of {@code contentType}, e.g. a web page where an API was expected. */
    public static LoopbackHttp answering(String path, int status, String contentType, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return new LoopbackHttp(server, path);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
