package dev.spindle.server.openenv;

import dev.spindle.core.runtime.SessionAdmin;
import dev.spindle.core.runtime.ToolCalls;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.mcp.JsonRpc;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * OpenEnv's wire API over a {@link ToolCalls}: episodes on {@code WS /ws} (one socket, one Spindle session),
 * OpenEnv's methods on {@code POST /mcp}, and what {@code GET /schema} and {@code GET /metadata} answer.
 * The HTTP adapter authorizes the socket before handing it here.
 */
public final class OpenEnv implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OpenEnv.class.getName());

    /** Runs work that may block; false, and nothing runs, when the server is overloaded. */
    @FunctionalInterface
    public interface Workers {
        boolean submit(Runnable task);
    }

    private final Vertx vertx;
    private final Episodes episodes;
    private final EnvRpc rpc;
    private final Workers workers;
    private final EnvConfig config;
    private final int maxMessageBytes;
    private final long reaper;

    /**
     * {@code tasks} are the ones a reset may name, played through {@code environment}; {@code maxMessageBytes}
     * is the largest message a socket takes (a tool's arguments may be as large as a request body).
     */
    public <R extends ToolCalls & SessionAdmin> OpenEnv(Vertx vertx, R runtime, TaskCatalog tasks, TaskEnvironment environment, EnvConfig config, int maxMessageBytes, Workers workers) {
        this.vertx = vertx;
        this.episodes = new Episodes(runtime, tasks, environment, config);
        this.rpc = new EnvRpc(episodes);
        this.workers = workers;
        this.config = config;
        this.maxMessageBytes = maxMessageBytes;
        this.reaper = config.idleTimeout().isZero() ? -1 : vertx.setPeriodic(reapEvery(config.idleTimeout()), id ->
                vertx.executeBlocking(() -> {
                    episodes.reap();
                    return null;
                }, false).onFailure(e -> LOG.log(Level.WARNING, "event=openenv_reap_failed", e)));
    }

    /** A quarter of the timeout, so that an idle episode ends at most a quarter late; 50 ms to 15 s. */
    private static long reapEvery(Duration idleTimeout) {
        return Math.clamp(idleTimeout.toMillis() / 4, 50, 15_000);
    }

    /** Serves an accepted {@code /ws} socket (on its event loop). */
    public void connected(ServerWebSocket socket) {
        new EpisodeSocket(socket, episodes, rpc, workers, config, maxMessageBytes).start();
    }

    /** True for a {@code POST /mcp} request that is OpenEnv's rather than MCP's (see {@link #answer}). */
    public boolean handles(JsonRpc message) {
        return EnvRpc.handles(message);
    }

    /** The JSON-RPC answer to such a request; may block. */
    public String answer(JsonRpc message) {
        return rpc.answer(message);
    }

    /** Episodes open now (sockets that reset, and {@code POST /mcp} sessions). */
    public int activeEpisodes() {
        return episodes.active();
    }

    @Override
    public void close() {
        if (reaper >= 0) {
            vertx.cancelTimer(reaper);
        }
        episodes.closeAll();
    }
}
