package dev.spindle.store.redis;

import static dev.spindle.store.redis.Utf8.bytes;

import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.PendingChanges;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A quick call's two round trips, sent from the event loop that serves it over {@link EventLoopLinks}: one
 * pipeline that reads the session's version and what the call needs, and one script that commits its
 * changes with its trace entry if the version held (docs/redis.md "Quick calls").
 */
final class EventLoopClient implements AutoCloseable {
    /** Answered by {@link #commit} when the session's metadata (the log's owner) is gone: closed meanwhile. */
    static final long OWNER_GONE = 0;
    /** Answered by {@link #commit} when the session changed since its values were fetched. */
    static final long CONFLICT = -1;

    private final EventLoopLinks links;

    EventLoopClient(RedisAddress address, int timeoutMillis) {
        this.links = new EventLoopLinks(address.uri(), address.toString(), timeoutMillis);
    }

    /** True on a server's event loop, where this client waits for Redis without blocking. */
    boolean servesHere() {
        return links.servesHere();
    }

    /** One pipeline: the version, then one command per read. */
    CompletionStage<Read.Fetched> fetch(String session, List<Read> reads) {
        SessionKeys keys = SessionKeys.of(session);
        List<Request> batch = new ArrayList<>(reads.size() + 1);
        batch.add(Request.cmd(Command.GET).arg(keys.version));
        for (Read read : reads) {
            batch.add(switch (read) {
                case Read.Value(String ns, String key) -> Request.cmd(Command.HGET).arg(keys.namespace(ns)).arg(bytes(key));
                case Read.Sizes(String ns) -> Request.cmd(Command.HGETALL).arg(keys.sizes(ns));
                case Read.Entries(String ns) -> Request.cmd(Command.HGETALL).arg(keys.namespace(ns));
                case Read.Namespaces() -> Request.cmd(Command.SMEMBERS).arg(keys.index);
            });
        }
        return links.batch(batch).map(replies -> {
            Map<Read, Object> values = new HashMap<>();
            for (int i = 0; i < reads.size(); i++) {
                Response reply = replies.get(i + 1);
                values.put(reads.get(i), switch (reads.get(i)) {
                    case Read.Value _ -> reply == null ? null : reply.toBytes();
                    case Read.Sizes _ -> hash(reply, size -> Integer.parseInt(size.toString()));
                    case Read.Entries _ -> hash(reply, Response::toBytes);
                    case Read.Namespaces() -> {
                        NavigableSet<String> names = new TreeSet<>();
                        reply.forEach(name -> names.add(name.toString()));
                        yield names;
                    }
                });
            }
            Response version = replies.getFirst();
            return new Read.Fetched(version == null ? "" : version.toString(), values);
        }).recover(links::failure).toCompletionStage();
    }

    /** An {@code HGETALL} reply, RESP2's flat list of field and value. */
    private static <V> NavigableMap<String, V> hash(Response reply, Function<Response, V> read) {
        NavigableMap<String, V> hash = new TreeMap<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            hash.put(reply.get(i).toString(), read.apply(reply.get(i + 1)));
        }
        return hash;
    }

    /**
     * Applies {@code changes} and appends {@code entry} to {@code log} as one atomic step, if the session's version
     * is still {@code expectedVersion} (any version when null). Answers the entry's sequence number,
     * {@link #OWNER_GONE} or {@link #CONFLICT}; neither of those changes anything.
     */
    CompletionStage<Long> commit(String session, String expectedVersion, PendingChanges changes, BoundedLog log, byte[] entry) {
        SessionKeys keys = SessionKeys.of(session);
        return Scripts.COMMIT_APPEND.send(links, Scripts.appendKeys(keys, log), Scripts.commitAppendArgs(keys, log, entry, expectedVersion, changes))
                .map(Response::toLong).recover(links::failure).toCompletionStage();
    }

    @Override
    public void close() {
        links.close();
    }
}
