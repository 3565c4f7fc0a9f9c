package dev.spindle.server;

import dev.spindle.core.HttpError;
import dev.spindle.core.SpindleException;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The route table as a matcher: one tree per segment count, walked segment by segment, where a literal
 * segment wins over a parameter at the same position (so {@code /sessions/{id}} is never taken for
 * {@code /{component}/{operation}}). The path decides the resource first, then the method: a path with
 * routes but none for the method gets a route that answers 405 with every method of that path in
 * {@code Allow} (HEAD wherever GET is); a path with none, one that answers 404. All of them are built once, so a match allocates nothing.
 */
final class Routes {
    private final Node[] bySegmentCount;
    private final Route notFound = Route.route(Route.ANY_METHOD, "/", Route.Placement.EVENT_LOOP, Routes::notFound);

    Routes(List<Route> table) {
        int longest = table.stream().mapToInt(r -> r.segments.length).max().orElse(0);
        bySegmentCount = new Node[longest + 1];
        for (int n = 0; n <= longest; n++) {
            bySegmentCount[n] = new Node();
        }
        for (Route route : table) {
            Node node = bySegmentCount[route.segments.length];
            for (String segment : route.segments) {
                node = Route.isParam(segment) ? node.param() : node.literal(segment);
            }
            node.add(route);
        }
        for (Node root : bySegmentCount) {
            root.seal();
        }
    }

    /** The route for this request: a route of the table, or one that answers 405 or 404. */
    Route match(HttpMethod method, List<String> segments) {
        int count = segments.size();
        if (count >= bySegmentCount.length) {
            return notFound;
        }
        Node node = bySegmentCount[count];
        for (int i = 0; i < count && node != null; i++) {
            Node literal = node.literals.get(segments.get(i));
            node = literal != null ? literal : node.param;
        }
        if (node == null || node.routes.length == 0) {
            return notFound;
        }
        for (Route route : node.routes) {
            if (route.takes(method)) {
                return route;
            }
        }
        return node.wrongMethod;
    }

    private static void notFound(Exchange ex) {
        throw new SpindleException(HttpError.NotFound, "Not found: " + ex.request.method() + " " + ex.request.path());
    }

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        Node param;
        private final List<Route> table = new ArrayList<>();
        Route[] routes;
        Route wrongMethod;

        Node literal(String segment) {
            return literals.computeIfAbsent(segment, s -> new Node());
        }

        Node param() {
            if (param == null) {
                param = new Node();
            }
            return param;
        }

        void add(Route route) {
            for (Route other : table) {
                if (other.method == Route.ANY_METHOD || route.method == Route.ANY_METHOD || other.method.equals(route.method)) {
                    throw new IllegalArgumentException("Routes " + other.path + " and " + route.path + " take the same requests");
                }
            }
            table.add(route);
        }

        void seal() {
            routes = table.toArray(Route[]::new);
            if (!table.isEmpty() && table.getFirst().method != Route.ANY_METHOD) {
                String allow = table.stream().map(r -> r.method.equals(HttpMethod.GET) ? "GET, HEAD" : r.method.name()).collect(Collectors.joining(", "));
                wrongMethod = Route.route(Route.ANY_METHOD, table.getFirst().path, Route.Placement.EVENT_LOOP, ex -> {
                    ex.request.response().putHeader("allow", allow);
                    throw new SpindleException(HttpError.MethodNotAllowed,
                            "Method " + ex.request.method() + " is not allowed on " + ex.request.path() + "; use " + allow);
                });
            }
            literals.values().forEach(Node::seal);
            if (param != null) {
                param.seal();
            }
        }
    }
}
