package dev.spindle.core.runtime;

import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionPage;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.TraceSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opening, inspecting and closing sessions: what the session routes, MCP sessions, OpenEnv episodes and
 * tasks depend on. A call to a session that does not exist yet opens it; see docs/architecture.md, "The
 * session lifecycle".
 */
public interface SessionAdmin {
    SessionInfo openSession(SessionSpec spec);

    /** Copies a session (files and component state; not its trace); the copy takes {@code seed} when given, else the source's. */
    SessionInfo forkSession(String sourceId, String newId, Long seed);

    Optional<SessionInfo> session(String sessionId);

    /** Like {@link #session} but {@code UnknownSession} when there is no such session. */
    SessionInfo requireSession(String sessionId);

    /**
     * True when this instance knows the session and it is still open: on a shared store, not closed by
     * another instance (the store is asked; an unreachable one counts as open).
     */
    boolean hasSession(String sessionId);

    /** Marks the session as used now, as a call does; false when it does not exist (closed anywhere, or expired). */
    boolean keepAlive(String sessionId);

    /**
     * One page of the sessions whose id starts with {@code prefix}; the files of the whole page are measured
     * in one store call. On a shared store, every session in it, as the store records it.
     */
    SessionPage listSessions(String prefix, SessionPage.Order order, int offset, int limit);

    /** The session's files, path to UTF-8 text, in path order. */
    Map<String, String> exportFiles(String sessionId);

    /**
     * A SHA-256 (hex) of what the session holds: its files and directories and every component's state for
     * it, in a fixed order; not its creation or last-use time, nor its trace. Two sessions with the same
     * digest hold the same state (a task's verifier compares it with a reference run's).
     */
    String stateDigest(String sessionId);

    List<TraceEntry> trace(String sessionId);

    /** The kept calls and how many older ones were dropped to bound the trace. */
    TraceSnapshot traceSnapshot(String sessionId);

    /** Removes the session from every component; answers how many files it held (0 if unknown). */
    int closeSession(String sessionId);

    /** Like {@link #closeSession} but {@code UnknownSession} when there is no such session. */
    int closeExisting(String sessionId);

    /** The sessions live on this instance. */
    int sessionCount();
}
