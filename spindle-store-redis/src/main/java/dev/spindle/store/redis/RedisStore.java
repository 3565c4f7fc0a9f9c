package dev.spindle.store.redis;

import dev.spindle.core.runtime.CallExecutor;
import dev.spindle.core.store.BoundedLog;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.ObservedStore;
import dev.spindle.core.store.SessionData;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Function;

/**
 * A store shared by any number of Spindle instances on one Redis: every update of a session is one atomic
 * Lua script, whichever instance makes it, and a session given a lifetime expires in Redis by itself.
 * docs/redis.md explains what is stored where, what each script does and how instances stay consistent.
 * This class only joins the two clients: {@link BlockingClient} for threads that may block, and
 * {@link EventLoopClient} for quick calls on the server's event loops ({@link OptimisticExecutor}).
 */
public final class RedisStore implements KeyValueStore {
    private static final int TIMEOUT_MILLIS = 2_000;

    private final RedisAddress address;
    private final BlockingClient blocking;
    private final EventLoopClient eventLoop;

    /** True for {@code redis://[user:pass@]host:port[/db]} or {@code rediss://…}. */
    public static boolean isAddress(String uri) {
        return RedisAddress.isValid(uri);
    }

    /** {@code redis://[user:pass@]host:port[/db]} or {@code rediss://…} for TLS. */
    public RedisStore(String uri) {
        this.address = RedisAddress.parse(uri);
        this.blocking = new BlockingClient(address, TIMEOUT_MILLIS);
        this.eventLoop = new EventLoopClient(address, TIMEOUT_MILLIS);
    }

    @Override
    public String describe() {
        return address.toString();
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public <T> T read(String session, Function<SessionData, T> work) {
        return blocking.read(session, work);
    }

    @Override
    public <T> T write(String session, Function<SessionData, T> work) {
        return blocking.write(session, work);
    }

    @Override
    public long append(String session, BoundedLog log, byte[] entry) {
        return blocking.append(session, log, entry);
    }

    @Override
    public Map<String, Integer> deleteSession(String session) {
        return blocking.deleteSession(session);
    }

    @Override
    public void copySession(String from, String to) {
        blocking.copySession(from, to);
    }

    /** Sets every key of the session, the version too, to expire {@code idle} from now. */
    @Override
    public void expireAfter(String session, Duration idle) {
        blocking.expireAfter(session, idle);
    }

    @Override
    public List<String> sessions() {
        return blocking.sessions();
    }

    @Override
    public Map<String, NavigableMap<String, byte[]>> entries(Collection<String> sessions, String namespace) {
        return blocking.entries(sessions, namespace);
    }

    /** File calls on the event loops, no thread waiting for Redis: see {@link OptimisticExecutor}. */
    @Override
    public CallExecutor callExecutor(CallExecutor byWorkload, ObservedStore timing) {
        return new OptimisticExecutor(eventLoop, byWorkload, timing);
    }

    @Override
    public void close() {
        eventLoop.close();
        blocking.close();
    }
}
