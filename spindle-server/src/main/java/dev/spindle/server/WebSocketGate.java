package dev.spindle.server;

import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocketHandshake;

/**
 * Which WebSocket upgrades are accepted: only to {@code /ws} (404 otherwise), from an allowed origin (403,
 * as a web page must not drive episodes) and with the bearer token when one is set (401), as for HTTP routes.
 */
final class WebSocketGate implements Handler<ServerWebSocketHandshake> {
    static final String PATH = "/ws";

    private final BearerToken token;
    private final CrossOrigin origins;

    WebSocketGate(BearerToken token, CrossOrigin origins) {
        this.token = token;
        this.origins = origins;
    }

    @Override
    public void handle(ServerWebSocketHandshake handshake) {
        if (!PATH.equals(handshake.path())) {
            handshake.reject(404);
        } else if (!origins.allows(handshake.headers().get("origin"))) {
            handshake.reject(403);
        } else if (!token.admits(handshake.headers().get("authorization"))) {
            handshake.reject(401);
        } else {
            handshake.accept();
        }
    }
}
