package dev.spindle.server;

import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.server.openenv.OpenEnv;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP adapter over a {@link ToolRuntime}: the Spin-compatible wire contract on Vert.x. One server
 * instance per event loop shares the port; calls that may block (storage, slow tools) run on a bounded worker
 * pool, everything else stays on the event loop.
 */
public final class SpindleServer implements AutoCloseable {
    private final Vertx vertx;
    private final WorkerExecutor workers;
    private final OpenEnv openEnv;
    private final int port;
    private final Datasets datasets;

    private SpindleServer(Vertx vertx, WorkerExecutor workers, OpenEnv openEnv, int port, Datasets datasets) {
        this.vertx = vertx;
        this.workers = workers;
        this.openEnv = openEnv;
        this.port = port;
        this.datasets = datasets;
    }

    /** Starts listening and returns once the port is bound; no tasks, and the console cannot verify records. */
    public static SpindleServer start(ToolRuntime runtime, ServerConfig config) {
        return start(runtime, config, Offerings.NONE);
    }

    /** Starts listening with what {@code offerings} adds (tasks on {@code /tasks} and as OpenEnv episodes), and returns once the port is bound. */
    public static SpindleServer start(ToolRuntime runtime, ServerConfig config, Offerings offerings) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()).setPreferNativeTransport(true));
        WorkerExecutor workers = vertx.createSharedWorkerExecutor("spindle-tools", config.workers());
        WorkerPool pool = new WorkerPool(workers, config.maxPendingCalls());
        TaskEnvironment environment = new TaskEnvironment(runtime);
        OpenEnv openEnv = new OpenEnv(vertx, runtime, offerings.tasks(), environment, config.envs(), maxWebSocketMessage(config), pool::submit);
        ServerMetrics metrics = new ServerMetrics(runtime, pool, openEnv);
        runtime.observeCalls(metrics);
        runtime.observeStore(metrics);
        Datasets datasets = new Datasets(config.datasets());
        RequestHandler handler = new RequestHandler(runtime, runtime.store().describe(), config, pool, metrics, new TaskRoutes(offerings.tasks(), environment), openEnv,
                new DatasetRoutes(datasets, offerings.verifier()));
        ConnectionLimit connections = new ConnectionLimit(config.maxConnections());
        try {
            // Vert.x shares one listening socket between instances that ask for the same port, but gives
            // each instance its own port for 0: so a free port is chosen first.
            ServerConfig listen = config.port() == 0 ? config.withPort(freePort(config.host())) : config;
            await(vertx.deployVerticle(() -> new Listener(handler, connections, listen), new DeploymentOptions().setInstances(config.eventLoops())));
            return new SpindleServer(vertx, workers, openEnv, listen.port(), datasets);
        } catch (RuntimeException e) {
            openEnv.close();
            datasets.close();
            vertx.close();
            throw e;
        }
    }

    /** An OpenEnv message (a tool's arguments) may be as large as a request body. */
    private static int maxWebSocketMessage(ServerConfig config) {
        return (int) Math.min(config.maxBodyBytes(), Integer.MAX_VALUE);
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on " + host + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** OpenEnv episodes open now, against {@code --max-envs}. */
    public int openEnvEpisodes() {
        return openEnv.activeEpisodes();
    }

    @Override
    public void close() {
        openEnv.close();
        workers.close();
        await(vertx.close());
        datasets.close();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out", e);
        }
    }

    /** One event loop's HTTP server. */
    private static final class Listener extends VerticleBase {
        private final RequestHandler handler;
        private final ConnectionLimit connections;
        private final ServerConfig config;

        Listener(RequestHandler handler, ConnectionLimit connections, ServerConfig config) {
            this.handler = handler;
            this.connections = connections;
            this.config = config;
        }

        @Override
        public Future<?> start() {
            HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                    .setTcpNoDelay(true).setIdleTimeout(config.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                    // HTTP/1.1 only: with cleartext HTTP/2 on, a connection is counted only once it has sent
                    // bytes, so idle sockets would escape the connection cap; no client of ours speaks h2c
                    .setHttp2ClearTextEnabled(false)
                    // a frame announcing more is refused from its header (OpenEnv assembles messages itself)
                    .setMaxWebSocketFrameSize(maxWebSocketMessage(config));
            return vertx.createHttpServer(options).connectionHandler(connections::accept)
                    .invalidRequestHandler(new MalformedRequests()).requestHandler(handler).listen();
        }
    }
}
