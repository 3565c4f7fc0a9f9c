package dev.spindle.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Everything a caller can do with Spindle, whether the runtime is in this process
 * ({@code ToolRuntime}) or behind HTTP ({@code SpindleClient}). Failures other than tool failures
 * are {@link SpindleException}s; tool failures are {@link ToolResult}s with {@code success=false}.
 */
public interface ToolService extends AutoCloseable {
    ToolResult execute(ToolCall call);

    SessionInfo openSession(SessionSpec spec);

    /** Copies a session (files and component state; not its trace) to a new one. */
    SessionInfo forkSession(String sourceId, String newId);

    Optional<SessionInfo> session(String sessionId);

    /** The session's files, path to UTF-8 text, in path order. */
    Map<String, String> exportFiles(String sessionId);

    List<TraceEntry> trace(String sessionId);

    /** Removes the session from every component; answers how many files it held (0 if unknown). */
    int closeSession(String sessionId);

    List<ComponentInfo> components();

    /** A component's own operation ({@code mock/load-schema}, {@code mock/load-data}, ...) with a JSON body. */
    JsonNode operate(String component, String operation, JsonNode body);

    @Override
    void close();
}
