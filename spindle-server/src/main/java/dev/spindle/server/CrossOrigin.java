package dev.spindle.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser origins may drive the service. Without this check any web page could call a local
 * server with no token (the MCP specification requires it for Streamable HTTP, against DNS rebinding).
 * A request without {@code Origin} is not from a browser page and passes; localhost origins pass on any
 * port; others only when listed.
 */
final class CrossOrigin {
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> allowed;

    CrossOrigin(List<String> allowed) {
        this.allowed = Set.copyOf(allowed.stream().map(CrossOrigin::normalize).toList());
    }

    boolean allows(String origin) {
        if (origin == null) {
            return true;
        }
        String normalized = normalize(origin);
        return allowed.contains(normalized) || isLocal(normalized);
    }

    private static boolean isLocal(String origin) {
        try {
            URI uri = new URI(origin);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && LOCAL_HOSTS.contains(uri.getHost()) && (uri.getRawPath() == null || uri.getRawPath().isEmpty());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Origins compare case-insensitively, without a trailing slash. */
    static String normalize(String origin) {
        String lower = origin.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
