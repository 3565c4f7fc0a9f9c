package dev.spindle.server;

import dev.spindle.mcp.McpEndpoint;
import dev.spindle.server.openenv.EnvConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * How the HTTP server listens. Immutable; change it with the {@code withX} methods.
 *
 * @param host interface to bind (default 127.0.0.1: loopback only)
 * @param port TCP port (default 3000, where DeepFabric looks; 0 picks a free one)
 * @param token bearer token every route but the health checks requires; null for none
 * @param maxBodyBytes largest request body accepted, in bytes (default 10 MiB); larger answers 413
 * @param eventLoops event-loop threads serving HTTP (default: one per core)
 * @param workers threads for tool calls that may block (storage, slow tools; default 32)
 * @param maxPendingCalls calls running or waiting for a worker at once (default 1,024); past it 503 {@code Overloaded}
 * @param seedRoot the folder {@code POST /sessions {"from": ...}} may read folders and local git
 *     repositories from (and the switch that allows remote git seeds); null (default) turns {@code from} off
 * @param mcpSessions most MCP sessions open at once on {@code /mcp} (default 1,000)
 * @param allowedOrigins browser origins allowed besides localhost ones, e.g. {@code https://app.example:8443}
 *     (default none); a request with another {@code Origin} answers 403
 * @param maxConnections open connections at once (default 10,000, less when the file limit is low); more are closed at once
 * @param idleTimeoutSeconds a connection with no traffic for this long is closed, even one waiting for a slow
 *     call, so keep it above the longest call (default 120 s)
 * @param datasets the folder whose JSONL files the web console lists and opens (null, the default: uploads only)
 * @param envs the OpenEnv episodes on {@code /ws} and {@code /mcp}: how many at once, idle reaping, tool timeout
 */
public record ServerConfig(String host, int port, String token, long maxBodyBytes, int eventLoops, int workers, int maxPendingCalls, Path seedRoot, int mcpSessions, List<String> allowedOrigins, int maxConnections, int idleTimeoutSeconds, Path datasets, EnvConfig envs) {
    public static final ServerConfig DEFAULTS = new ServerConfig("127.0.0.1", 3000, null, 10L << 20,
            Runtime.getRuntime().availableProcessors(), 32, 1024, null, McpEndpoint.DEFAULT_MAX_SESSIONS, List.of(), defaultMaxConnections(), 120, null, EnvConfig.DEFAULTS);

    public ServerConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** 10,000, or three quarters of the process's file limit when that is lower (files, the store and logs need the rest). */
    private static int defaultMaxConnections() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return Math.clamp(unix.getMaxFileDescriptorCount() * 3 / 4, 16, 10_000);
        }
        return 10_000;
    }

    public ServerConfig withHost(String host) {
        return with(c -> c.host = host);
    }

    public ServerConfig withPort(int port) {
        return with(c -> c.port = port);
    }

    public ServerConfig withToken(String token) {
        return with(c -> c.token = token == null || token.isBlank() ? null : token);
    }

    public ServerConfig withMaxBodyBytes(long maxBodyBytes) {
        return with(c -> c.maxBodyBytes = maxBodyBytes);
    }

    public ServerConfig withEventLoops(int eventLoops) {
        return with(c -> c.eventLoops = eventLoops);
    }

    public ServerConfig withWorkers(int workers) {
        return with(c -> c.workers = workers);
    }

    public ServerConfig withMaxPendingCalls(int maxPendingCalls) {
        return with(c -> c.maxPendingCalls = maxPendingCalls);
    }

    public ServerConfig withSeedRoot(Path seedRoot) {
        return with(c -> c.seedRoot = seedRoot == null ? null : seedRoot.toAbsolutePath().normalize());
    }

    public ServerConfig withMcpSessions(int mcpSessions) {
        return with(c -> c.mcpSessions = mcpSessions);
    }

    public ServerConfig withAllowedOrigins(List<String> allowedOrigins) {
        return with(c -> c.allowedOrigins = allowedOrigins);
    }

    public ServerConfig withMaxConnections(int maxConnections) {
        return with(c -> c.maxConnections = maxConnections);
    }

    public ServerConfig withIdleTimeoutSeconds(int idleTimeoutSeconds) {
        return with(c -> c.idleTimeoutSeconds = idleTimeoutSeconds);
    }

    public ServerConfig withDatasets(Path datasets) {
        return with(c -> c.datasets = datasets == null ? null : datasets.toAbsolutePath().normalize());
    }

    public ServerConfig withEnvs(EnvConfig envs) {
        return with(c -> c.envs = envs);
    }

    /** A copy with one change: the record's fields as a mutable draft, so that each wither names only its own. */
    private ServerConfig with(Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return draft.build();
    }

    private static final class Draft {
        String host;
        int port;
        String token;
        long maxBodyBytes;
        int eventLoops;
        int workers;
        int maxPendingCalls;
        Path seedRoot;
        int mcpSessions;
        List<String> allowedOrigins;
        int maxConnections;
        int idleTimeoutSeconds;
        Path datasets;
        EnvConfig envs;

        Draft(ServerConfig c) {
            host = c.host;
            port = c.port;
            token = c.token;
            maxBodyBytes = c.maxBodyBytes;
            eventLoops = c.eventLoops;
            workers = c.workers;
            maxPendingCalls = c.maxPendingCalls;
            seedRoot = c.seedRoot;
            mcpSessions = c.mcpSessions;
            allowedOrigins = c.allowedOrigins;
            maxConnections = c.maxConnections;
            idleTimeoutSeconds = c.idleTimeoutSeconds;
            datasets = c.datasets;
            envs = c.envs;
        }

        ServerConfig build() {
            return new ServerConfig(host, port, token, maxBodyBytes, eventLoops, workers, maxPendingCalls, seedRoot, mcpSessions, allowedOrigins, maxConnections, idleTimeoutSeconds, datasets, envs);
        }
    }
}
