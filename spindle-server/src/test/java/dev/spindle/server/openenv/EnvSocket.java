package dev.spindle.server.openenv;

import dev.spindle.core.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** A real WebSocket client on {@code /ws}: send a frame, read the next one; it asserts nothing. */
final class EnvSocket implements AutoCloseable {
    final WebSocket socket;
    private final WebSocketClient client;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    private EnvSocket(WebSocketClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
        socket.textMessageHandler(text -> frames.add(Json.parse(text)));
        socket.closeHandler(v -> closed.complete(null));
    }

    static EnvSocket open(Vertx vertx, int port, String... headers) {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(64 << 20));
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
        for (int i = 0; i < headers.length; i += 2) {
            options.addHeader(headers[i], headers[i + 1]);
        }
        try {
            WebSocket socket = client.connect(options).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            return new EnvSocket(client, socket);
        } catch (Exception e) {
            client.close();
            throw new IllegalStateException("cannot connect: " + e.getMessage(), e);
        }
    }

    void send(String frame) {
        socket.writeTextMessage(frame);
    }

    /** The next frame, or null when none came within 20 s. */
    JsonNode next() {
        try {
            return frames.poll(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode ask(String frame) {
        send(frame);
        return next();
    }

    /** The {@code data} of the answer to a step with this action (raw JSON). */
    JsonNode step(String action) {
        return ask("{\"type\":\"step\",\"data\":" + action + "}").path("data");
    }

    JsonNode call(String tool, String arguments) {
        return step("{\"type\":\"call_tool\",\"tool_name\":\"" + tool + "\",\"arguments\":" + arguments + "}");
    }

    boolean closedWithin(long seconds) {
        try {
            closed.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (!socket.isClosed()) {
            socket.close();
        }
        client.close();
    }
}
