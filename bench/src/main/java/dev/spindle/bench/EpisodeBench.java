package dev.spindle.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A load generator for OpenEnv episodes on a running server's {@code WS /ws} (one client event loop, all
 * sockets asynchronous), in three phases:
 * <ol>
 *   <li>reset latency: {@code resetters} sockets reset in a closed loop for the duration; p50/p99;</li>
 *   <li>open episodes: {@code open} sockets reset and held, each calling {@code read_file} once every
 *       {@code interval} ms; p50/p99 of those steps;</li>
 *   <li>episodes/s: {@code runners} sockets each run 5-step episodes back to back (reset, write_file,
 *       read_file, list_tools, append_file, read_file).</li>
 * </ol>
 * {@code java -cp bench/target/benchmarks.jar dev.spindle.bench.EpisodeBench PORT [seconds] [open] [interval-ms] [resetters] [runners] [task]}
 */
public final class EpisodeBench {
    private static final String WRITE = step("write_file", "{\"file_path\":\"a.txt\",\"content\":\"hello\"}");
    private static final String READ = step("read_file", "{\"file_path\":\"a.txt\"}");
    private static final String APPEND = step("append_file", "{\"file_path\":\"a.txt\",\"content\":\"!\"}");
    private static final String LIST = "{\"type\":\"step\",\"data\":{\"type\":\"list_tools\"}}";
    private static final List<String> EPISODE = List.of(WRITE, READ, LIST, APPEND, READ);

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(16 << 20).setMaxConnections(100_000));
    private final int port;
    private final String reset;
    private final String what;

    private EpisodeBench(int port, String task) {
        this.port = port;
        this.what = task == null ? "a bare sandbox" : "task " + task;
        this.reset = "{\"type\":\"reset\",\"data\":{\"seed\":1" + (task == null ? "" : ",\"task\":\"" + task + "\"") + "}}";
    }

    private static String step(String tool, String arguments) {
        return "{\"type\":\"step\",\"data\":{\"type\":\"call_tool\",\"tool_name\":\"" + tool + "\",\"arguments\":" + arguments + "}}";
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int seconds = arg(args, 1, 10);
        int open = arg(args, 2, 1000);
        int interval = arg(args, 3, 200);
        int resetters = arg(args, 4, 8);
        int runners = arg(args, 5, 32);
        String task = args.length > 6 ? args[6] : null;
        EpisodeBench bench = new EpisodeBench(port, task);
        try {
            bench.resets(resetters, seconds);
            bench.openEpisodes(open, interval, seconds);
            bench.episodes(runners, seconds);
        } finally {
            bench.client.close();
            bench.vertx.close();
        }
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    /** One socket that answers frames in order: send, then the next text message completes the future. */
    private final class Session {
        final WebSocket socket;
        Promise<String> pending;

        Session(WebSocket socket) {
            this.socket = socket;
            socket.textMessageHandler(text -> {
                Promise<String> answered = pending;
                pending = null;
                if (text.contains("\"type\":\"error\"")) {
                    answered.fail(text);
                } else {
                    answered.complete(text);
                }
            });
        }

        /** Sends a frame; the future ends with the answer's latency in nanoseconds. */
        Future<Long> ask(String frame) {
            long start = System.nanoTime();
            pending = Promise.promise();
            socket.writeTextMessage(frame);
            return pending.future().map(text -> System.nanoTime() - start);
        }
    }

    private Future<Session> connect() {
        return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")).map(Session::new);
    }

    private List<Session> connectAll(int count) throws Exception {
        List<Future<Session>> sessions = new ArrayList<>();
        CompletableFuture<List<Session>> all = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            for (int i = 0; i < count; i++) {
                sessions.add(connect().compose(s -> s.ask(reset).map(s)));
            }
            Future.all(sessions).onSuccess(f -> all.complete(sessions.stream().map(Future::result).toList())).onFailure(all::completeExceptionally);
        });
        return all.get(120, TimeUnit.SECONDS);
    }

    private void resets(int sockets, int seconds) throws Exception {
        Latencies latencies = new Latencies();
        List<Session> sessions = connectAll(sockets);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        runUntil(sessions, end, s -> s.ask(reset).onSuccess(latencies::add));
        System.out.printf("reset of %s, %d sockets: %d resets, %.0f/s, %s%n", what, sockets, latencies.count(), latencies.count() / (double) seconds, latencies);
        close(sessions);
    }

    private void openEpisodes(int count, int intervalMillis, int seconds) throws Exception {
        long opening = System.nanoTime();
        List<Session> sessions = connectAll(count);
        System.out.printf("%d episodes of %s opened in %.1f s%n", count, what, (System.nanoTime() - opening) / 1e9);
        Latencies latencies = new Latencies();
        CompletableFuture<Void> done = new CompletableFuture<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        vertx.runOnContext(v -> {
            int[] running = {sessions.size()};
            for (int i = 0; i < sessions.size(); i++) {
                Session s = sessions.get(i);
                // spread the first steps over one interval, so that the load is even
                vertx.setTimer(1 + (long) i * intervalMillis / sessions.size(), id -> tick(s, intervalMillis, end, latencies, () -> {
                    if (--running[0] == 0) {
                        done.complete(null);
                    }
                }));
            }
        });
        done.get(seconds + 120L, TimeUnit.SECONDS);
        System.out.printf("%d open episodes, read_file every %d ms each: %d steps, %.0f/s, %s%n", count, intervalMillis,
                latencies.count(), latencies.count() / (double) seconds, latencies);
        close(sessions);
    }

    private void tick(Session s, int intervalMillis, long end, Latencies latencies, Runnable finished) {
        if (System.nanoTime() > end) {
            finished.run();
            return;
        }
        s.ask(READ).onComplete(r -> {
            if (r.succeeded()) {
                latencies.add(r.result());
            }
            vertx.setTimer(intervalMillis, id -> tick(s, intervalMillis, end, latencies, finished));
        });
    }

    private void episodes(int sockets, int seconds) throws Exception {
        List<Session> sessions = connectAll(sockets);
        Latencies episodes = new Latencies();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        runUntil(sessions, end, s -> {
            long start = System.nanoTime();
            Future<Long> chain = s.ask(reset);
            for (String frame : EPISODE) {
                chain = chain.compose(x -> s.ask(frame));
            }
            return chain.onSuccess(x -> episodes.add(System.nanoTime() - start));
        });
        System.out.printf("5-step episodes (reset + 5 steps), %d sockets: %d episodes, %.0f/s, episode %s%n", sockets,
                episodes.count(), episodes.count() / (double) seconds, episodes);
        close(sessions);
    }

    /** Each session repeats {@code work} back to back until {@code end}; returns when all have stopped. */
    private void runUntil(List<Session> sessions, long end, java.util.function.Function<Session, Future<?>> work) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            int[] running = {sessions.size()};
            for (Session s : sessions) {
                loop(s, end, work, () -> {
                    if (--running[0] == 0) {
                        done.complete(null);
                    }
                });
            }
        });
        done.get(TimeUnit.NANOSECONDS.toSeconds(end - System.nanoTime()) + 120, TimeUnit.SECONDS);
    }

    private void loop(Session s, long end, java.util.function.Function<Session, Future<?>> work, Runnable finished) {
        if (System.nanoTime() > end) {
            finished.run();
            return;
        }
        work.apply(s).onComplete(r -> {
            if (r.failed()) {
                System.err.println("failed: " + r.cause().getMessage());
                finished.run();
            } else {
                loop(s, end, work, finished);
            }
        });
    }

    private void close(List<Session> sessions) {
        sessions.forEach(s -> s.socket.close());
    }

    /** Latencies in nanoseconds, added on the client's one event loop. */
    private static final class Latencies {
        private long[] values = new long[1 << 16];
        private int count;

        void add(long nanos) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = nanos;
        }

        int count() {
            return count;
        }

        @Override
        public String toString() {
            long[] sorted = Arrays.copyOf(values, count);
            Arrays.sort(sorted);
            return count == 0 ? "no samples" : String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                    sorted[count / 2] / 1e6, sorted[Math.min(count - 1, (int) (count * 0.99))] / 1e6, sorted[count - 1] / 1e6);
        }
    }
}
