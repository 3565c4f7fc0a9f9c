package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.wire.Wire;
import dev.spindle.server.openenv.OpenEnv;

/**
 * {@code GET /ws}: the upgrade to OpenEnv's WebSocket, after the request chain (token, origin) like any
 * route; a request that is not an upgrade, or a handshake Vert.x refuses, answers 400 JSON; another
 * WebSocket version than 13, 426 JSON.
 */
final class WebSocketRoute {
    static final String PATH = "/ws";

    private final OpenEnv openEnv;

    WebSocketRoute(OpenEnv openEnv) {
        this.openEnv = openEnv;
    }

    void handle(Exchange ex) {
        if (!"websocket".equalsIgnoreCase(ex.request.getHeader("upgrade"))) {
            throw Exchange.badRequest("/ws is OpenEnv's WebSocket: connect with a WebSocket client (Upgrade: websocket)");
        }
        if (!"13".equals(ex.request.getHeader("sec-websocket-version"))) { // else Vert.x answers a bodiless 426 itself
            ex.request.response().putHeader("sec-websocket-version", "13");
            ex.respond(426, Wire.error(ErrorType.InvalidRequest, "Only WebSocket version 13 (RFC 6455) is spoken: send Sec-WebSocket-Version: 13"));
            return;
        }
        ex.request.toWebSocket().onSuccess(openEnv::connected).onFailure(e ->
                ex.respond(400, Wire.error(ErrorType.InvalidRequest, "WebSocket handshake refused: " + e.getMessage())));
    }
}
