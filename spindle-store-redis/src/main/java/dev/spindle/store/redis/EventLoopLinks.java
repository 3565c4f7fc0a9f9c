package dev.spindle.store.redis;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.store.StoreUnavailable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One pipelined connection to Redis per Vert.x event loop, for calls that wait for Redis without a thread:
 * commands go out from the event loop that sends them and their replies come back on it, so a round trip
 * costs no thread hand-off, and the commands of all the calls a loop serves share its connection (Redis
 * reads them together). A connection that breaks, or keeps commands waiting past the timeout, is closed,
 * failing them with {@link StoreUnavailable}; the next command opens a new one.
 */
final class EventLoopLinks implements AutoCloseable {
    private static final long WATCH_MILLIS = 250;

    private final RedisOptions options;
    private final String address;
    private final long timeoutNanos;
    /**
     * By event loop thread: a request runs on a context of its own (a duplicate of its loop's), so the
     * context would give each request a connection.
     */
    private final Map<Thread, Link> links = new ConcurrentHashMap<>();

    EventLoopLinks(String uri, String address, int timeoutMillis) {
        this.address = address;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        this.options = new RedisOptions().setConnectionString(uri).setPreferredProtocolVersion(ProtocolVersion.RESP2)
                .setMaxWaitingHandlers(65_536)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(timeoutMillis).setTcpNoDelay(true));
    }

    /** True on a Vert.x event loop thread: there commands can be sent and their replies awaited without blocking. */
    boolean servesHere() {
        return Context.isOnEventLoopThread() && Vertx.currentContext() != null;
    }

    /**
     * Sends the commands in one write and answers their replies (a nil reply is null), on this event loop; a
     * failure is Redis's own (see {@link #failure}).
     */
    Future<List<Response>> batch(List<Request> requests) {
        return link().send(connection -> connection.batch(requests));
    }

    Future<Response> send(Request request) {
        return link().send(connection -> connection.send(request));
    }

    /** What a failed command means to a caller: Redis refusing it, or Redis not reachable; for {@link Future#recover}. */
    <T> Future<T> failure(Throwable cause) {
        return Future.failedFuture(explain(cause));
    }

    private SpindleException explain(Throwable cause) {
        if (cause instanceof SpindleException known) {
            return known;
        }
        if (cause instanceof Response) { // an error reply: Redis is there and said no
            return new SpindleException(ErrorType.IOError, "Redis at " + address + " failed: " + cause.getMessage());
        }
        return new StoreUnavailable("Redis at " + address + " is unreachable: " + cause.getMessage());
    }

    private Link link() {
        return links.computeIfAbsent(Thread.currentThread(), thread -> new Link(Vertx.currentContext()));
    }

    @Override
    public void close() {
        links.values().forEach(Link::close);
        links.clear();
    }

    /** One event loop's connection; only that loop's thread touches it. */
    private final class Link {
        private final Context context;
        /** Pooled: closing a connection would only hand it back, so a stuck one is dropped with its client. */
        private Redis client;
        private final long watch;
        private Future<RedisConnection> connection;
        /** The replies awaited, in any order. */
        private final Set<Promise<?>> waiting = new HashSet<>();
        /** When Redis last answered, or the first command since it last had nothing to answer was sent. */
        private long sinceNanos;

        Link(Context context) {
            this.context = context;
            this.client = Redis.createClient(context.owner(), options);
            this.watch = context.owner().setPeriodic(WATCH_MILLIS, id -> closeIfStuck());
        }

        <T> Future<T> send(Function<RedisConnection, Future<T>> command) {
            if (connection == null || connection.failed()) {
                connect();
            }
            if (waiting.isEmpty()) {
                sinceNanos = System.nanoTime();
            }
            Promise<T> reply = Promise.promise();
            waiting.add(reply);
            connection.compose(command).onComplete(done -> {
                if (waiting.remove(reply)) {
                    sinceNanos = System.nanoTime();
                }
                if (done.succeeded()) {
                    reply.tryComplete(done.result());
                } else {
                    reply.tryFail(done.cause());
                }
            });
            return reply.future();
        }

        private void connect() {
            Future<RedisConnection> made = client.connect();
            connection = made;
            made.onSuccess(c -> c.exceptionHandler(e -> forget(made)).endHandler(v -> forget(made)));
        }

        /** A connection that broke is not used again; the next command opens another. */
        private void forget(Future<RedisConnection> broken) {
            if (connection == broken) {
                connection = null;
            }
        }

        /** Fails what waits past the timeout (connecting too) and closes the connection with its client. */
        private void closeIfStuck() {
            if (waiting.isEmpty() || System.nanoTime() - sinceNanos <= timeoutNanos) {
                return;
            }
            List<Promise<?>> late = List.copyOf(waiting);
            waiting.clear();
            late.forEach(reply -> reply.tryFail("no answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
            connection = null;
            client.close();
            client = Redis.createClient(context.owner(), options);
        }

        void close() {
            context.owner().cancelTimer(watch);
            client.close();
        }
    }
}
