package dev.spindle.server;

import dev.spindle.mcp.McpEndpoint;
import java.nio.file.Path;

/**
 * How the HTTP server listens. Immutable; change it with the {@code withX} methods.
 *
 * @param host interface to bind (default 127.0.0.1: loopback only)
 * @param port TCP port (default 3000, where DeepFabric looks; 0 picks a free one)
 * @param token bearer token every route but the health checks requires; null for none
 * @param maxBodyBytes largest request body accepted, in bytes (default 10 MiB); larger answers 413
 * @param eventLoops event-loop threads serving HTTP (default: one per core)
 * @param workers threads for tool calls that block on storage (default 32)
 * @param seedRoot the folder {@code POST /sessions {"from": ...}} may read folders and local git
 *     repositories from (and the switch that allows remote git seeds); null (default) turns {@code from} off
 * @param mcpSessions most MCP sessions open at once on {@code /mcp} (default 1,000)
 */
public record ServerConfig(String host, int port, String token, long maxBodyBytes, int eventLoops, int workers, Path seedRoot, int mcpSessions) {
    public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", 3000, null, 10L << 20,
            Runtime.getRuntime().availableProcessors(), 32, null, McpEndpoint.DEFAULT_MAX_SESSIONS);

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, token, maxBodyBytes, eventLoops, workers, seedRoot, mcpSessions);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, token, maxBodyBytes, eventLoops, workers, seedRoot, mcpSessions);
    }

    public ServerConfig withToken(String token) {
        return new ServerConfig(host, port, token == null || token.isBlank() ? null : token, maxBodyBytes, eventLoops, workers, seedRoot, mcpSessions);
    }

    public ServerConfig withMaxBodyBytes(long maxBodyBytes) {
        return new ServerConfig(host, port, token, maxBodyBytes, eventLoops, workers, seedRoot, mcpSessions);
    }

    public ServerConfig withEventLoops(int eventLoops) {
        return new ServerConfig(host, port, token, maxBodyBytes, eventLoops, workers, seedRoot, mcpSessions);
    }

    public ServerConfig withWorkers(int workers) {
        return new ServerConfig(host, port, token, maxBodyBytes, eventLoops, workers, seedRoot, mcpSessions);
    }

    public ServerConfig withSeedRoot(Path seedRoot) {
        return new ServerConfig(host, port, token, maxBodyBytes, eventLoops, workers, seedRoot == null ? null : seedRoot.toAbsolutePath().normalize(), mcpSessions);
    }

    public ServerConfig withMcpSessions(int mcpSessions) {
        return new ServerConfig(host, port, token, maxBodyBytes, eventLoops, workers, seedRoot, mcpSessions);
    }
}
