package dev.spindle.server;

import io.vertx.core.http.HttpMethod;
import java.util.function.Consumer;

/**
 * One line of the route table: a method ({@link #ANY_METHOD} for a handler that reads any), a path pattern
 * with {@code {params}}, what runs, and how the request chain treats it: whether it is {@code open} without
 * a token, where it runs ({@link Placement}), and which body types it reads.
 */
final class Route {
    /** The method of a route whose handler takes every method (and answers wrong ones itself, if any). */
    static final HttpMethod ANY_METHOD = null;

    /** Where the handler runs. */
    enum Placement {
        /** It never blocks: health and listings. */
        EVENT_LOOP,
        /** It may block: the store, seeding, a close that waits for running calls, outbound fetches, the MCP SDK. */
        WORKER,
        /** A tool call: the runtime asks its tool where it runs (a big body is parsed on a worker first). */
        ASK_THE_TOOL
    }

    final HttpMethod method;
    final String path;
    final Placement placement;
    final boolean open;
    final BodyTypes accepts;
    /** False for a route whose handler takes the connection over (a WebSocket upgrade): no body is read first. */
    final boolean readsBody;
    final Consumer<Exchange> handler;
    /** The path's segments; a parameter's name in braces. */
    final String[] segments;

    private Route(HttpMethod method, String path, Placement placement, boolean open, BodyTypes accepts, boolean readsBody, Consumer<Exchange> handler) {
        this.method = method;
        this.path = path;
        this.placement = placement;
        this.open = open;
        this.accepts = accepts;
        this.readsBody = readsBody;
        this.handler = handler;
        this.segments = path.equals("/") ? new String[0] : path.substring(1).split("/");
    }

    static Route route(HttpMethod method, String path, Placement placement, Consumer<Exchange> handler) {
        return new Route(method, path, placement, false, BodyTypes.JSON, true, handler);
    }

    /** Reachable without a token, so that load balancers can probe. */
    Route open() {
        return new Route(method, path, placement, true, accepts, readsBody, handler);
    }

    Route accepting(BodyTypes types) {
        return new Route(method, path, placement, open, types, readsBody, handler);
    }

    /** The handler takes the connection over (a WebSocket upgrade), so the request is left unread for it. */
    Route upgrading() {
        return new Route(method, path, placement, open, accepts, false, handler);
    }

    /** A GET route takes HEAD too: the same answer without its body (Vert.x leaves the body out). */
    boolean takes(HttpMethod requested) {
        return method == ANY_METHOD || method.equals(requested) || method.equals(HttpMethod.GET) && requested.equals(HttpMethod.HEAD);
    }

    static boolean isParam(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    /** The position of parameter {@code name} in the path, or -1. */
    int paramIndex(String name) {
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (isParam(s) && s.length() == name.length() + 2 && s.startsWith(name, 1)) {
                return i;
            }
        }
        return -1;
    }
}
