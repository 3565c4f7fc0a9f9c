package dev.spindle.server;

import static dev.spindle.server.Route.ANY_METHOD;
import static dev.spindle.server.Route.Placement.ASK_THE_TOOL;
import static dev.spindle.server.Route.Placement.EVENT_LOOP;
import static dev.spindle.server.Route.Placement.WORKER;
import static dev.spindle.server.Route.route;
import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import dev.spindle.core.HttpError;
import dev.spindle.core.SpindleException;
import dev.spindle.core.runtime.SessionAdmin;
import dev.spindle.core.runtime.SnapshotAdmin;
import dev.spindle.core.runtime.ToolCalls;
import dev.spindle.mcp.McpEndpoint;
import dev.spindle.server.openenv.EnvDescription;
import dev.spindle.server.openenv.OpenEnv;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every request passes here: the route table says what a path is ({@link Routes}), and one chain of steps
 * ({@link Chain}) does the cross-cutting work in order, then runs the route's handler in {@link ToolRoutes},
 * {@link SessionRoutes} or {@link McpRoute}, on the event loop or, for what may block, on a worker.
 */
final class RequestHandler implements Handler<HttpServerRequest> {
    private static final Logger LOG = Logger.getLogger(RequestHandler.class.getName());
    /** Bodies larger than this are parsed on a worker even for a tool that does not block. */
    private static final int INLINE_BODY_BYTES = 64 * 1024;

    private final ServerConfig config;
    private final WorkerPool workers;
    private final BearerToken token;
    private final CrossOrigin origins;
    private final ToolRoutes tools;
    private final Routes routes;
    private final Chain chain;
    private final ServerMetrics metrics;

    <R extends ToolCalls & SessionAdmin & SnapshotAdmin> RequestHandler(R runtime, String store, ServerConfig config, WorkerPool workers, ServerMetrics metrics, TaskRoutes tasks, OpenEnv openEnv, DatasetRoutes datasets) {
        this.config = config;
        this.workers = workers;
        this.metrics = metrics;
        this.token = new BearerToken(config.token());
        this.origins = new CrossOrigin(config.allowedOrigins());
        this.tools = new ToolRoutes(runtime, store, this::workersFor);
        this.routes = new Routes(table(tools, new SessionRoutes(runtime, config.seedRoot()), new SnapshotRoutes(runtime),
                new McpRoute(new McpEndpoint(runtime, config.mcpSessions()), openEnv), new WebSocketRoute(openEnv), metrics, tasks, datasets));
        this.chain = Chain.of(List.of(this::resolve, this::checkQuery, this::checkOrigin, this::authorize, this::checkBodyType,
                this::readBody, this::place, (ex, next) -> ex.route.handler.accept(ex)));
    }

    /** The route table; a literal segment wins over a parameter, so the order only sets the order in {@code Allow}. */
    static List<Route> table(ToolRoutes tools, SessionRoutes sessions, SnapshotRoutes snapshots, McpRoute mcp, WebSocketRoute webSocket, ServerMetrics metrics,
            TaskRoutes tasks, DatasetRoutes datasets) {
        ConsoleAssets console = new ConsoleAssets();
        return List.of(
                // the web console's files are public; the routes its pages call are not
                route(GET, "/ui", EVENT_LOOP, ex -> console.serve(ex, null)).open(),
                route(GET, "/ui/{file}", EVENT_LOOP, ex -> console.serve(ex, ex.param("file"))).open(),
                // datasets are files: listed, scanned and replayed on workers
                route(GET, "/datasets", WORKER, datasets::list),
                route(POST, "/datasets", WORKER, datasets::upload),
                route(GET, "/datasets/{name}/records", WORKER, ex -> datasets.records(ex, ex.param("name"))),
                route(GET, "/datasets/{name}/summary", WORKER, ex -> datasets.summary(ex, ex.param("name"))),
                route(POST, "/datasets/{name}/records/{line}/verify", WORKER, ex -> datasets.verify(ex, ex.param("name"), ex.param("line"))),
                route(GET, "/health", EVENT_LOOP, ex -> tools.health(ex, null)).open(),
                // a scrape writes every histogram bucket: off the event loop
                route(GET, "/metrics", WORKER, ex -> ex.text(200, ServerMetrics.CONTENT_TYPE, metrics.scrape())),
                route(GET, "/components", EVENT_LOOP, ex -> tools.components(ex, null)),
                route(POST, "/execute", ASK_THE_TOOL, ex -> tools.execute(ex, null)),
                route(POST, "/sessions", WORKER, sessions::create),
                // reads the files' sizes of the page from the store
                route(GET, "/sessions", WORKER, sessions::list),
                route(GET, WebSocketRoute.PATH, EVENT_LOOP, webSocket::handle).upgrading(),
                route(GET, "/schema", EVENT_LOOP, ex -> ex.ok(EnvDescription.schema())),
                route(GET, "/metadata", EVENT_LOOP, ex -> ex.ok(EnvDescription.metadata())),
                // McpRoute answers a wrong method itself, as the MCP transport asks (a JSON-RPC error body)
                route(ANY_METHOD, "/mcp", WORKER, mcp::handle),
                route(DELETE, "/session/{id}", WORKER, ex -> sessions.cleanup(ex, ex.param("id"))),
                route(GET, "/sessions/{id}", WORKER, ex -> sessions.get(ex, ex.param("id"))),
                route(DELETE, "/sessions/{id}", WORKER, ex -> sessions.delete(ex, ex.param("id"))),
                route(POST, "/sessions/{id}/fork", WORKER, ex -> sessions.fork(ex, ex.param("id"))),
                route(GET, "/sessions/{id}/files", WORKER, ex -> sessions.files(ex, ex.param("id"))),
                route(GET, "/sessions/{id}/trace", WORKER, ex -> sessions.trace(ex, ex.param("id"))),
                // tasks: the list is in memory; a task's tools, a seeded session and a verdict read the store
                route(GET, "/tasks", EVENT_LOOP, tasks::list),
                route(GET, "/tasks/{id}", WORKER, ex -> tasks.get(ex, ex.param("id"))),
                route(POST, "/tasks/{id}/sessions", WORKER, ex -> tasks.open(ex, ex.param("id"))),
                route(POST, "/sessions/{id}/verify", WORKER, ex -> tasks.verify(ex, ex.param("id"))),
                route(POST, "/sessions/{id}/call", WORKER, ex -> tasks.call(ex, ex.param("id"))),
                route(POST, "/sessions/{id}/snapshot", WORKER, ex -> snapshots.take(ex, ex.param("id"))),
                route(POST, "/snapshots", WORKER, snapshots::upload),
                route(GET, "/snapshots/{id}", WORKER, ex -> snapshots.download(ex, ex.param("id"))),
                route(DELETE, "/snapshots/{id}", WORKER, ex -> snapshots.delete(ex, ex.param("id"))),
                route(GET, "/{component}/health", EVENT_LOOP, ex -> tools.health(ex, ex.param("component"))).open(),
                route(GET, "/{component}/components", EVENT_LOOP, ex -> tools.components(ex, ex.param("component"))),
                route(POST, "/{component}/execute", ASK_THE_TOOL, ex -> tools.execute(ex, ex.param("component"))),
                route(DELETE, "/{component}/session/{id}", WORKER, ex -> {
                    tools.requireComponent(ex.param("component"));
                    sessions.cleanup(ex, ex.param("id"));
                }),
                // a component's own operations (the mock's load-schema...): any method, as the reference routes by path alone
                route(ANY_METHOD, "/{component}/{operation}", WORKER, ex -> tools.operate(ex, ex.param("component"), ex.param("operation")))
                        .accepting(BodyTypes.JSON_OR_YAML));
    }

    @Override
    public void handle(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        response.headersEndHandler(v -> metrics.answered(response.getStatusCode()));
        chain.proceed(new Exchange(request));
    }

    /** The path's segments (a malformed escape is refused first) and its route, or one that answers 404 or 405. */
    private void resolve(Exchange ex, Chain next) {
        ex.segments = PathSegments.of(ex.request.path());
        ex.route = routes.match(ex.request.method(), ex.segments);
        next.proceed(ex);
    }

    /** Checked here, for every route, so that none meets a malformed query as an exception or as text decoded to U+FFFD. */
    private void checkQuery(Exchange ex, Chain next) {
        if (ex.request.query() != null) {
            try {
                PercentDecoding.decode(ex.request.query());
            } catch (PercentDecoding.Malformed e) {
                throw Exchange.badRequest("Malformed query string: an escape is % and two hex digits, and escapes decode to UTF-8");
            }
        }
        next.proceed(ex);
    }

    private void checkOrigin(Exchange ex, Chain next) {
        String origin = ex.request.getHeader("origin");
        if (!origins.allows(origin)) {
            throw new SpindleException(HttpError.Forbidden, "Requests from origin " + origin
                    + " are not allowed (only localhost and the server's --allow-origin list are)");
        }
        next.proceed(ex);
    }

    private void authorize(Exchange ex, Chain next) {
        if (!ex.route.open && !token.admits(ex.request.getHeader("authorization"))) {
            ex.request.response().putHeader("www-authenticate", "Bearer");
            throw new SpindleException(HttpError.Unauthorized, "Missing or wrong bearer token: send 'Authorization: Bearer <token>'");
        }
        next.proceed(ex);
    }

    private void checkBodyType(Exchange ex, Chain next) {
        String given = ex.request.getHeader("content-type");
        if (hasBody(ex.request) && !ex.route.accepts.readable(given)) {
            throw new SpindleException(HttpError.UnsupportedMediaType, "The body must be sent with Content-Type: "
                    + ex.route.accepts.expected() + (given == null ? "; none was given" : ", not " + given));
        }
        next.proceed(ex);
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("content-length");
        return length == null ? request.getHeader("transfer-encoding") != null : parseLength(length) != 0;
    }

    /** Reads the body up to the limit, then goes on once it is all in (at once for a route that takes the connection over). */
    private void readBody(Exchange ex, Chain next) {
        if (!ex.route.readsBody) {
            next.proceed(ex);
            return;
        }
        HttpServerRequest request = ex.request;
        String length = request.getHeader("content-length");
        if (length != null && parseLength(length) > config.maxBodyBytes()) {
            throw tooLarge(request);
        }
        Body body = new Body();
        request.handler(chunk -> {
            if (!body.rejected && body.add(chunk) > config.maxBodyBytes()) {
                body.rejected = true;
                ex.fail(tooLarge(request));
            }
        });
        // A body that cannot be decoded (a bad chunk size) closes the connection in Vert.x before any answer.
        request.exceptionHandler(e -> LOG.log(Level.FINE, "event=request_failed path=" + request.path(), e));
        request.endHandler(v -> {
            if (!body.rejected) {
                ex.body = body.content;
                next.proceed(ex);
            }
        });
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

    private SpindleException tooLarge(HttpServerRequest request) {
        request.response().putHeader("connection", "close");
        return new SpindleException(HttpError.PayloadTooLarge, "Request body is larger than the limit of " + config.maxBodyBytes() + " bytes");
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Runs the rest on the event loop, or on a worker for what may block; past the workers' bound, 503.
     * A tool call with a small body stays on the event loop: the runtime hands it to a worker or the compute
     * pool when its tool needs one ({@link ToolRoutes#execute}).
     */
    private void place(Exchange ex, Chain next) {
        boolean mayBlock = switch (ex.route.placement) {
            case EVENT_LOOP -> false;
            case WORKER -> true;
            case ASK_THE_TOOL -> ex.body != null && ex.body.length() > INLINE_BODY_BYTES;
        };
        if (!mayBlock) {
            next.proceed(ex);
        } else {
            workersFor(ex).execute(() -> next.proceed(ex));
        }
    }

    /** The workers, for this request: past their bound, 503 {@code Overloaded} (with {@code Retry-After}, see {@link Exchange#fail}). */
    private Executor workersFor(Exchange ex) {
        return task -> {
            if (!workers.submit(task)) {
                throw new SpindleException(HttpError.Overloaded, "The server is overloaded: " + workers.maxPending()
                        + " calls are running or waiting; retry in " + Exchange.RETRY_AFTER_SECONDS + " s");
            }
        };
    }
}
