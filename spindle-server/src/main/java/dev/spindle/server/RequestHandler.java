package dev.spindle.server;

import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.mcp.McpEndpoint;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every request passes here: the checks (path, query, origin, token, body size and type), then routing
 * to {@link ToolRoutes} or {@link SessionRoutes}, on the event loop or, for what may block, on a worker.
 * Errors are mapped to JSON in one place: a {@link SpindleException} becomes its type's status with
 * {@code {error, error_type}}; anything else is a bug, logged, and answered 500 {@code Internal} without internals.
 */
final class RequestHandler implements Handler<HttpServerRequest> {
    private static final Logger LOG = Logger.getLogger(RequestHandler.class.getName());
    /** Bodies larger than this are parsed on a worker even with a non-blocking store. */
    private static final int INLINE_BODY_BYTES = 64 * 1024;
    /** What an overloaded server tells its clients to wait, in seconds. */
    private static final int RETRY_AFTER_SECONDS = 1;

    private final ToolRuntime runtime;
    private final ServerConfig config;
    private final WorkerPool workers;
    private final byte[] token;
    private final CrossOrigin origins;
    private final ToolRoutes tools;
    private final SessionRoutes sessions;
    private final McpRoute mcp;

    RequestHandler(ToolRuntime runtime, ServerConfig config, WorkerPool workers) {
        this.runtime = runtime;
        this.config = config;
        this.workers = workers;
        this.token = config.token() == null ? null : ("Bearer " + config.token()).getBytes(StandardCharsets.UTF_8);
        this.origins = new CrossOrigin(config.allowedOrigins());
        this.tools = new ToolRoutes(runtime);
        this.sessions = new SessionRoutes(runtime, config.seedRoot());
        this.mcp = new McpRoute(new McpEndpoint(runtime, config.mcpSessions()));
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
        SpindleException refused = check(request, segments);
        if (refused != null) {
            if (refused.type() == HttpError.Unauthorized) {
                request.response().putHeader("www-authenticate", "Bearer");
            }
            new Exchange(request, segments, null).fail(refused);
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
        // A body that cannot be decoded (a bad chunk size) closes the connection in Vert.x before any answer.
        request.exceptionHandler(e -> LOG.log(Level.FINE, "event=request_failed path=" + request.path(), e));
        request.endHandler(v -> {
            if (body.rejected) {
                return;
            }
            Exchange exchange = new Exchange(request, segments, body.content);
            if (!mayBlock(exchange)) {
                route(exchange);
            } else if (!workers.submit(() -> route(exchange))) {
                request.response().putHeader("retry-after", String.valueOf(RETRY_AFTER_SECONDS));
                exchange.fail(new SpindleException(HttpError.Overloaded, "The server is overloaded: " + workers.maxPending()
                        + " calls are running or waiting; retry in " + RETRY_AFTER_SECONDS + " s"));
            }
        });
    }

    /** The first reason to refuse the request before reading its body, or null. */
    private SpindleException check(HttpServerRequest request, List<String> segments) {
        if (!wellFormedQuery(request)) {
            return Exchange.badRequest("Malformed query string: percent-escapes must be % followed by two hex digits");
        }
        String origin = request.getHeader("origin");
        if (!origins.allows(origin)) {
            return new SpindleException(HttpError.Forbidden, "Requests from origin " + origin
                    + " are not allowed (only localhost and the server's --allow-origin list are)");
        }
        if (token != null && !isHealthCheck(request, segments) && !authorized(request)) {
            return new SpindleException(HttpError.Unauthorized, "Missing or wrong bearer token: send 'Authorization: Bearer <token>'");
        }
        boolean operation = isOperation(segments);
        if (hasBody(request) && !BodyTypes.readable(request.getHeader("content-type"), operation)) {
            String given = request.getHeader("content-type");
            return new SpindleException(HttpError.UnsupportedMediaType, "The body must be sent with Content-Type: "
                    + BodyTypes.expected(operation) + (given == null ? "; none was given" : ", not " + given));
        }
        return null;
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("content-length");
        return length == null ? request.getHeader("transfer-encoding") != null : parseLength(length) != 0;
    }

    /**
     * Whether the request may block and so must go to a worker: store I/O, a tool that says it may, the
     * MCP SDK, session routes (a seed from a folder or git; a close waits for running calls), a component
     * operation (it may fetch a URL), a big body.
     * A tool call's (small) body is parsed here, on the event loop, to ask its tool.
     */
    private boolean mayBlock(Exchange ex) {
        List<String> s = ex.segments;
        if (s.isEmpty() || isInfo(s)) {
            return false;
        }
        if (ex.body != null && ex.body.length() > INLINE_BODY_BYTES) {
            return true;
        }
        if (isExecute(s)) {
            return tools.mayBlock(ex, s.size() == 2 ? s.getFirst() : null);
        }
        // closing a session waits for the calls running in it, and those may be slow tools on workers
        boolean sessionRoute = s.getFirst().equals("session") || s.getFirst().equals("sessions") || s.size() == 3 && s.get(1).equals("session");
        return sessionRoute || s.getFirst().equals("mcp") || isOperation(s) || runtime.store().blocking();
    }

    /** The body as it arrives; a body that comes in one chunk (the usual case) is not copied. */
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
    }

    private void tooLarge(HttpServerRequest request, List<String> segments) {
        request.response().putHeader("connection", "close");
        new Exchange(request, segments, null).fail(new SpindleException(HttpError.PayloadTooLarge,
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
        return (segments.size() == 1 || isComponentRoute(segments))
                && (segments.getLast().equals("health") || segments.getLast().equals("components"));
    }

    private static boolean isExecute(List<String> segments) {
        return (segments.size() == 1 || isComponentRoute(segments)) && segments.getLast().equals("execute");
    }

    /** {@code /{component}/{operation}}, e.g. the mock's {@code load-schema}. */
    private static boolean isOperation(List<String> segments) {
        return isComponentRoute(segments) && !isInfo(segments) && !isExecute(segments);
    }

    /** {@code /{component}/{something}}: two segments that are not the session API's. */
    private static boolean isComponentRoute(List<String> segments) {
        return segments.size() == 2 && !segments.getFirst().equals("session") && !segments.getFirst().equals("sessions");
    }

    private void route(Exchange ex) {
        try {
            dispatch(ex);
        } catch (SpindleException e) {
            ex.fail(e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event=internal_error method=" + ex.request.method() + " path=" + ex.request.path(), e);
            ex.fail(new SpindleException(HttpError.Internal, "Internal server error; the request was not completed"));
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
            throw new SpindleException(HttpError.MethodNotAllowed,
                    "Method " + ex.request.method() + " is not allowed on " + ex.request.path() + "; use " + allowed);
        }
        route.run();
    }

    private static void notFound(Exchange ex) {
        ex.respond(404, Json.object().put("error", "Not found: " + ex.request.method() + " " + ex.request.path())
                .put("error_type", HttpError.NotFound.name()));
    }
}
