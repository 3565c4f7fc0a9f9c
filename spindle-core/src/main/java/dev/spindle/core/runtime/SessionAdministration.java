package dev.spindle.core.runtime;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionPage;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.TraceSnapshot;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.Usage;
import dev.spindle.core.text.Text;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link SessionAdmin} over the live {@link Sessions}: checks what a client asks for (ids, seeds, TTLs,
 * seed files) and reports sessions as {@link SessionInfo}s, their files measured in the store.
 */
final class SessionAdministration implements SessionAdmin {
    private final KeyValueStore store;
    private final Sessions sessions;
    private final StoredSessionList storedSessions;
    private final SessionFileRules files;

    SessionAdministration(KeyValueStore store, Sessions sessions, SessionFileRules files) {
        this.store = store;
        this.sessions = sessions;
        this.storedSessions = new StoredSessionList(store, sessions);
        this.files = files;
    }

    @Override
    public SessionInfo openSession(SessionSpec spec) {
        String id = spec.sessionId() == null ? UUID.randomUUID().toString() : spec.sessionId();
        Duration ttl = spec.ttlSeconds() == null ? null : checkTtl(spec.ttlSeconds());
        Map<VPath, byte[]> seed = new LinkedHashMap<>();
        spec.files().forEach((path, content) -> {
            if (content == null) {
                throw new SpindleException(ErrorType.InvalidArguments, "File '" + path + "' has no content: give a string");
            }
            seed.put(files.paths().file(path), Text.wellFormed(content, "File '" + path + "'").getBytes(StandardCharsets.UTF_8));
        });
        LiveSession state = sessions.create(id, ttl, null, checkSeed(spec.seed()), sid -> files(sid).writeAll(seed));
        return info(state);
    }

    static Long checkSeed(Long seed) {
        if (seed != null && seed < 0) {
            throw new SpindleException(ErrorType.InvalidRequest, "seed must be a whole number from 0 to " + Long.MAX_VALUE + ", got " + seed);
        }
        return seed;
    }

    private static Duration checkTtl(long seconds) {
        if (seconds <= 0 || seconds > Duration.ofDays(30).toSeconds()) {
            throw new SpindleException(ErrorType.InvalidRequest, "ttl_seconds must be between 1 and 2592000 (30 days), got " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    @Override
    public SessionInfo forkSession(String sourceId, String newId, Long seed) {
        LiveSession source = sessions.require(SessionIds.check(sourceId));
        String id = newId == null ? UUID.randomUUID().toString() : newId;
        Long kept = seed == null ? source.seed : checkSeed(seed);
        LiveSession state = sessions.create(id, source.ttl, sourceId, kept, sid -> store.copySession(sourceId, sid));
        return info(state);
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        return Optional.ofNullable(sessions.find(SessionIds.check(sessionId))).map(this::info);
    }

    @Override
    public boolean hasSession(String sessionId) {
        try {
            return sessions.known(sessionId) != null;
        } catch (SpindleException unreachable) {
            return true;
        }
    }

    @Override
    public boolean keepAlive(String sessionId) {
        return sessions.keepAlive(sessionId) != null;
    }

    @Override
    public SessionInfo requireSession(String sessionId) {
        return info(sessions.require(SessionIds.check(sessionId)));
    }

    SessionInfo info(LiveSession state) {
        return info(state, Usage.of(files(state.id).sizes()));
    }

    private static SessionInfo info(LiveSession state, Usage files) {
        return new SessionInfo(state.id, files.entries(), files.bytes(), state.trace.size(), state.createdAt, state.lastUsedAt(), state.expiresAt(), state.forkedFrom, state.seed);
    }

    @Override
    public SessionPage listSessions(String prefix, SessionPage.Order order, int offset, int limit) {
        if (store.shared()) {
            return storedSessions.page(prefix, order, offset, limit);
        }
        List<LiveSession> matching = sessions.list(prefix, order);
        List<LiveSession> page = matching.subList(Math.min(offset, matching.size()), Math.min(matching.size(), offset + limit));
        Map<String, Usage> usage = store.usage(page.stream().map(s -> s.id).toList(), SessionFiles.FILES);
        return new SessionPage(page.stream().map(s -> info(s, usage.getOrDefault(s.id, Usage.NONE))).toList(), matching.size(), offset, limit);
    }

    @Override
    public Map<String, String> exportFiles(String sessionId) {
        sessions.require(SessionIds.check(sessionId));
        Map<String, String> exported = new LinkedHashMap<>();
        files(sessionId).contents(files.paths().directory(null)).forEach((k, v) -> exported.put(k, new String(v, StandardCharsets.UTF_8)));
        return exported;
    }

    @Override
    public String stateDigest(String sessionId) {
        sessions.require(SessionIds.check(sessionId));
        return store.read(sessionId, StateDigest::of);
    }

    @Override
    public List<TraceEntry> trace(String sessionId) {
        return traceSnapshot(sessionId).calls();
    }

    @Override
    public TraceSnapshot traceSnapshot(String sessionId) {
        return sessions.require(SessionIds.check(sessionId)).trace.snapshot();
    }

    @Override
    public int closeSession(String sessionId) {
        // checked here too: an id with a NUL could name a component's global partition and wipe it
        return sessions.remove(SessionIds.check(sessionId)).getOrDefault(SessionFiles.FILES, 0);
    }

    @Override
    public int closeExisting(String sessionId) {
        sessions.require(SessionIds.check(sessionId));
        return closeSession(sessionId);
    }

    @Override
    public int sessionCount() {
        return sessions.count();
    }

    private SessionFiles files(String sessionId) {
        return files.of(store, sessionId);
    }
}
