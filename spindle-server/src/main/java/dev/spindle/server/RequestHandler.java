package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.mcp.McpEndpoint;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every request passes here: authentication, the body limit, then routing to {@link ToolRoutes} or
 * {@link SessionRoutes}. Errors are mapped to JSON in one place: a {@link SpindleException} becomes its
 * type's status with {@code {error, error_type}}; anything else is a bug, logged, and answered 500
 * without internals.
 */
final class RequestHandler implements Handler<HttpServerRequest> {
    private static final Logger LOG = Logger.getLogger(RequestHandler.class.getName());
    /** Bodies larger than this are parsed on a worker even with a non-blocking store. */
    private static final int INLINE_BODY_BYTES = 64 * 1024;

    private final ToolRuntime runtime;
    private final ServerConfig config;
    private final WorkerExecutor workers;
    private final byte[] token;
    private final ToolRoutes tools;
    private final SessionRoutes sessions;
    private final McpRoute mcp;

    RequestHandler(ToolRuntime runtime, ServerConfig config, WorkerExecutor workers) {
        this.runtime = runtime;
        this.config = config;
        this.workers = workers;
        this.token = config.token() == null ? null : ("Bearer " + config.token()).getBytes(StandardCharsets.UTF_8);
        this.tools = new ToolRoutes(runtime);
        this.sessions = new SessionRoutes(runtime, config.seedRoot());
        this.mcp = new McpRoute(new McpEndpoint(runtime));
    }

    @Override
    public void handle(HttpServerRequest request) {
        List<String> segments;
        try {
            segments = PathSegments.of(request.path());
        } catch (SpindleException e) {
            new Exchange(request, List.of(), null).fail(e);
            return;
        }
        if (!wellFormedQuery(request)) {
            new Exchange(request, segments, null).fail(Exchange.badRequest("Malformed query string: percent-escapes must be % followed by two hex digits"));
            return;
        }
        if (token != null && !isHealthCheck(request, segments) && !authorized(request)) {
            request.response().putHeader("www-authenticate", "Bearer");
            new Exchange(request, segments, null).fail(new SpindleException(ErrorType.Unauthorized,
                    "Missing or wrong bearer token: send 'Authorization: Bearer <token>'"));
            return;
        }
        String length = request.getHeader("content-length");
        if (length != null && parseLength(length) > config.maxBodyBytes()) {
            tooLarge(request, segments);
            return;
        }
        Body body = new Body();
        request.handler(chunk -> {
            if (!body.rejected && body.add(chunk) > config.maxBodyBytes()) {
                body.rejected = true;
                tooLarge(request, segments);
            }
        });
        request.exceptionHandler(e -> LOG.log(Level.FINE, "event=request_failed path=" + request.path(), e));
        request.endHandler(v -> {
            if (body.rejected) {
                return;
            }
            Exchange exchange = new Exchange(request, segments, body.content);
            // the MCP SDK blocks, and a new session may read a folder or clone git: never on the event loop
            boolean blockingRoute = segments.size() == 1 && (segments.getFirst().equals("mcp") || segments.getFirst().equals("sessions"));
            if (isInfo(segments) || (!blockingRoute && !runtime.blocking() && body.length() <= INLINE_BODY_BYTES)) {
                route(exchange);
            } else {
                workers.executeBlocking(() -> {
                    route(exchange);
                    return null;
                }, false);
            }
        });
    }

    /** The request body as it arrives; a body that comes in one chunk (the usual case) is not copied. */
    private static final class Body {
        Buffer content;
        boolean rejected;
        private boolean owned;

        int add(Buffer chunk) {
            if (content == null) {
                content = chunk;
            } else {
                if (!owned) {
                    content = Buffer.buffer(content.length() + chunk.length()).appendBuffer(content);
                    owned = true;
                }
                content.appendBuffer(chunk);
            }
            return content.length();
        }

        int length() {
            return content == null ? 0 : content.length();
        }
    }

    private void tooLarge(HttpServerRequest request, List<String> segments) {
        request.response().putHeader("connection", "close");
        new Exchange(request, segments, null).fail(new SpindleException(ErrorType.PayloadTooLarge,
                "Request body is larger than the limit of " + config.maxBodyBytes() + " bytes"));
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Decoded once here (Vert.x caches it) so that no route meets a malformed query as an exception. */
    private static boolean wellFormedQuery(HttpServerRequest request) {
        if (request.query() == null) {
            return true;
        }
        try {
            request.params();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean authorized(HttpServerRequest request) {
        String header = request.getHeader("authorization");
        return header != null && MessageDigest.isEqual(token, header.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code GET /health} and {@code GET /{component}/health} stay open so that load balancers can probe. */
    private static boolean isHealthCheck(HttpServerRequest request, List<String> segments) {
        return request.method() == HttpMethod.GET && isInfo(segments) && segments.getLast().equals("health");
    }

    /** Health and component listings never touch the store. */
    private static boolean isInfo(List<String> segments) {
        boolean componentScoped = segments.size() == 2 && !segments.getFirst().startsWith("session");
        return (segments.size() == 1 || componentScoped)
                && (segments.getLast().equals("health") || segments.getLast().equals("components"));
    }

    private void route(Exchange ex) {
        try {
            dispatch(ex);
        } catch (SpindleException e) {
            ex.fail(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=internal_error method=" + ex.request.method() + " path=" + ex.request.path(), e);
            ex.fail(new SpindleException(ErrorType.Internal, "Internal server error; the request was not completed"));
        }
    }

    private void dispatch(Exchange ex) {
        List<String> s = ex.segments;
        HttpMethod method = ex.request.method();
        switch (s.size()) {
            case 1 -> {
                switch (s.getFirst()) {
                    case "health" -> only(ex, HttpMethod.GET, () -> tools.health(ex, null));
                    case "components" -> only(ex, HttpMethod.GET, () -> tools.components(ex, null));
                    case "execute" -> only(ex, HttpMethod.POST, () -> tools.execute(ex, null));
                    case "sessions" -> only(ex, HttpMethod.POST, () -> sessions.create(ex));
                    case "mcp" -> mcp.handle(ex);
                    default -> notFound(ex);
                }
            }
            case 2 -> {
                String first = s.get(0);
                String second = s.get(1);
                if (first.equals("session")) {
                    only(ex, HttpMethod.DELETE, () -> sessions.cleanup(ex, second));
                } else if (first.equals("sessions")) {
                    if (method == HttpMethod.GET) {
                        sessions.get(ex, second);
                    } else {
                        only(ex, HttpMethod.DELETE, () -> sessions.delete(ex, second));
                    }
                } else {
                    switch (second) {
                        case "health" -> only(ex, HttpMethod.GET, () -> tools.health(ex, first));
                        case "components" -> only(ex, HttpMethod.GET, () -> tools.components(ex, first));
                        case "execute" -> only(ex, HttpMethod.POST, () -> tools.execute(ex, first));
                        default -> tools.operate(ex, first, second);
                    }
                }
            }
            case 3 -> {
                if (s.get(0).equals("sessions")) {
                    switch (s.get(2)) {
                        case "fork" -> only(ex, HttpMethod.POST, () -> sessions.fork(ex, s.get(1)));
                        case "files" -> only(ex, HttpMethod.GET, () -> sessions.files(ex, s.get(1)));
                        case "trace" -> only(ex, HttpMethod.GET, () -> sessions.trace(ex, s.get(1)));
                        default -> notFound(ex);
                    }
                } else if (s.get(1).equals("session")) {
                    only(ex, HttpMethod.DELETE, () -> {
                        tools.requireComponent(s.get(0));
                        sessions.cleanup(ex, s.get(2));
                    });
                } else {
                    notFound(ex);
                }
            }
            default -> notFound(ex);
        }
    }

    private static void only(Exchange ex, HttpMethod allowed, Runnable route) {
        if (ex.request.method() != allowed) {
            ex.request.response().putHeader("allow", allowed.name());
            throw new SpindleException(ErrorType.MethodNotAllowed,
                    "Method " + ex.request.method() + " is not allowed on " + ex.request.path() + "; use " + allowed);
        }
        route.run();
    }

    private static void notFound(Exchange ex) {
        ex.respond(404, Json.object().put("error", "Not found: " + ex.request.method() + " " + ex.request.path())
                .put("error_type", ErrorType.NotFound.name()));
    }
}
