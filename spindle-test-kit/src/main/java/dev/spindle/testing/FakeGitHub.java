package dev.spindle.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for GitHub's REST API: answers set per exact request path (raw, as sent) and, for another
 * media type than JSON, per {@code Accept} header; every request recorded, and 404
 * {@code {"message":"Not Found"}} for anything else, as GitHub answers.
 */
public final class FakeGitHub implements AutoCloseable {
    /** A request as the fake received it. */
    public record Request(String method, String path, String query, String authorization, String body) {}

    private record Answer(int status, String body, Map<String, String> headers) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeGitHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            var uri = exchange.getRequestURI();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            String key = exchange.getRequestMethod() + " " + uri.getRawPath() + ("application/vnd.github+json".equals(accept) ? "" : " " + accept);
            Answer answer = answers.getOrDefault(key,
                    new Answer(404, "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\"}", Map.of()));
            byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            answer.headers.forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(answer.status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    /** Answers {@code METHOD rawPath [media type]} (e.g. {@code GET /repos/o/r/issues}, {@code GET /repos/o/r/pulls/1 application/vnd.github.diff}) with {@code status}, {@code body} and headers (name, value pairs). */
    public FakeGitHub answer(String methodAndPath, int status, String body, String... headers) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        answers.put(methodAndPath, new Answer(status, body, map));
        return this;
    }

    /** 200 with {@code body}. */
    public FakeGitHub answer(String methodAndPath, String body, String... headers) {
        return answer(methodAndPath, 200, body, headers);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public Request last() {
        return requests.getLast();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
