package dev.spindle.code;

import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.core.store.SessionData;
import dev.spindle.core.store.StoreUnavailable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A memory store whose writes to one session wait {@code delay} first, as a store across a network may,
 * and fail when the waiting thread is interrupted, as blocking I/O on a virtual thread does.
 */
final class SlowWritesStore implements KeyValueStore {
    private final MemoryStore data = new MemoryStore();
    private final String slowSession;
    private final Duration delay;

    SlowWritesStore(String slowSession, Duration delay) {
        this.slowSession = slowSession;
        this.delay = delay;
    }

    @Override
    public String describe() {
        return "slow-writes";
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public <T> T read(String session, Function<SessionData, T> work) {
        return data.read(session, work);
    }

    @Override
    public <T> T write(String session, Function<SessionData, T> work) {
        if (session.equals(slowSession)) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                throw new StoreUnavailable("the write was interrupted");
            }
        }
        return data.write(session, work);
    }

    @Override
    public Map<String, Integer> deleteSession(String session) {
        return data.deleteSession(session);
    }

    @Override
    public void copySession(String from, String to) {
        data.copySession(from, to);
    }

    @Override
    public List<String> sessions() {
        return data.sessions();
    }

    @Override
    public void close() {
        data.close();
    }
}
