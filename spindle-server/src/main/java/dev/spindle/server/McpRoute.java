package dev.spindle.server;

import dev.spindle.core.Json;
import dev.spindle.mcp.JsonRpc;
import dev.spindle.mcp.McpEndpoint;
import dev.spindle.server.openenv.OpenEnv;
import io.netty.buffer.Unpooled;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code /mcp}: MCP Streamable HTTP, answered with JSON (no server-initiated stream). {@code initialize}
 * opens a session and returns its {@code Mcp-Session-Id}; every later request must carry it (400
 * without, 404 for an id this endpoint did not issue or whose session ended, as the spec asks); DELETE
 * ends it. Every error body is a JSON-RPC error: a message that is not valid JSON-RPC answers 400 (as the
 * SDKs' own transports do), an error answering a valid request 200. OpenEnv's requests ({@code openenv/session/*},
 * and tool methods whose params name a {@code session_id}) go to {@link OpenEnv} instead, without an MCP session.
 */
final class McpRoute {
    private static final String SESSION_HEADER = "mcp-session-id";
    /** The SDKs' codes for session errors (JSON-RPC's implementation-defined server-error range). */
    private static final int SESSION_REQUIRED = -32000;
    private static final int SESSION_NOT_FOUND = -32001;
    private static final int TOO_MANY_SESSIONS = -32002;

    private final McpEndpoint endpoint;
    private final OpenEnv openEnv;

    McpRoute(McpEndpoint endpoint, OpenEnv openEnv) {
        this.endpoint = endpoint;
        this.openEnv = openEnv;
    }

    void handle(Exchange ex) {
        HttpMethod method = ex.request.method();
        String session = ex.request.getHeader(SESSION_HEADER);
        if (method == HttpMethod.DELETE) {
            if (session == null || !endpoint.closeSession(session)) {
                send(ex, 404, error(SESSION_NOT_FOUND, "No such MCP session"));
                return;
            }
            ex.request.response().setStatusCode(204).end();
            return;
        }
        if (method != HttpMethod.POST) {
            ex.request.response().putHeader("allow", "POST, DELETE");
            send(ex, 405, error(-32600, "This server sends no stream: POST JSON-RPC messages to /mcp"));
            return;
        }
        JsonRpc message;
        try {
            message = JsonRpc.parse(ex.body == null ? "" : ex.body.toString(StandardCharsets.UTF_8));
        } catch (JsonRpc.Failure invalid) {
            send(ex, 400, invalid.body());
            return;
        }
        if (openEnv.handles(message)) { // OpenEnv's own methods and session-addressed calls need no MCP session
            send(ex, 200, openEnv.answer(message));
            return;
        }
        if (message.isInitialize()) {
            session = endpoint.openSession().orElse(null);
            if (session == null) {
                // the limit is the server's capacity, not this client's rate: 503, retry once sessions end
                ex.request.response().putHeader("retry-after", "10");
                send(ex, 503, message.error(TOO_MANY_SESSIONS, "Too many open MCP sessions (limit " + endpoint.maxSessions()
                        + "); end unused ones with DELETE /mcp or retry later").body());
                return;
            }
        } else if (session == null) {
            send(ex, 400, message.error(SESSION_REQUIRED, "Missing Mcp-Session-Id header: send initialize first").body());
            return;
        } else if (!endpoint.isOpen(session)) {
            send(ex, 404, message.error(SESSION_NOT_FOUND, "No such MCP session (never opened, closed or expired): initialize a new one").body());
            return;
        }
        Optional<String> answer = endpoint.handle(session, message);
        if (message.isInitialize() && answer.map(a -> Json.parse(a).has("error")).orElse(true)) {
            endpoint.closeSession(session); // a refused initialize opens nothing
            send(ex, 200, answer.orElseThrow());
            return;
        }
        ex.request.response().putHeader("mcp-session-id", session);
        if (answer.isEmpty()) {
            ex.request.response().setStatusCode(202).end();
        } else {
            send(ex, 200, answer.get());
        }
    }

    private static String error(int code, String message) {
        return new JsonRpc.Failure(null, code, message).body();
    }

    private static void send(Exchange ex, int status, String json) {
        HttpServerResponse response = ex.request.response();
        response.setStatusCode(status).putHeader("content-type", "application/json")
                .end(BufferInternal.buffer(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8))));
    }
}
