package dev.spindle.server;

import dev.spindle.core.Json;
import dev.spindle.mcp.McpEndpoint;
import io.netty.buffer.Unpooled;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code /mcp}: MCP Streamable HTTP, answered with JSON (no server-initiated stream). {@code initialize}
 * opens a session and returns its {@code Mcp-Session-Id}; every later request must carry it (400
 * without, 404 once the session is closed or expired, as the spec asks); DELETE ends it.
 */
final class McpRoute {
    private static final String SESSION_HEADER = "mcp-session-id";

    private final McpEndpoint endpoint;

    McpRoute(McpEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    void handle(Exchange ex) {
        HttpMethod method = ex.request.method();
        String session = ex.request.getHeader(SESSION_HEADER);
        if (method == HttpMethod.DELETE) {
            if (session == null || !endpoint.isOpen(session)) {
                rpcError(ex, 404, "No such MCP session");
                return;
            }
            endpoint.closeSession(session);
            ex.request.response().setStatusCode(204).end();
            return;
        }
        if (method != HttpMethod.POST) {
            ex.request.response().putHeader("allow", "POST, DELETE");
            rpcError(ex, 405, "This server sends no stream: POST JSON-RPC messages to /mcp");
            return;
        }
        String message = ex.body == null ? "" : ex.body.toString(StandardCharsets.UTF_8);
        if (McpEndpoint.isInitialize(message)) {
            session = endpoint.openSession();
        } else if (session == null) {
            rpcError(ex, 400, "Missing Mcp-Session-Id header: send initialize first");
            return;
        } else if (!endpoint.isOpen(session)) {
            rpcError(ex, 404, "MCP session " + session + " has ended (closed or expired): initialize a new one");
            return;
        }
        Optional<String> answer = endpoint.handle(session, message);
        HttpServerResponse response = ex.request.response().putHeader("mcp-session-id", session);
        if (answer.isEmpty()) {
            response.setStatusCode(202).end();
        } else {
            response.setStatusCode(200).putHeader("content-type", "application/json")
                    .end(BufferInternal.buffer(Unpooled.wrappedBuffer(answer.get().getBytes(StandardCharsets.UTF_8))));
        }
    }

    private static void rpcError(Exchange ex, int status, String message) {
        ex.respond(status, Json.object().put("jsonrpc", "2.0").putNull("id")
                .set("error", Json.object().put("code", -32600).put("message", message)));
    }
}
