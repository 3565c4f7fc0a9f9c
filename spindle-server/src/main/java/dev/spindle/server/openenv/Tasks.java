package dev.spindle.server.openenv;

import dev.spindle.core.SpindleException;

/**
 * Where episodes with a task come from: the one task-specific part of the OpenEnv adapter. A reset that
 * names a task asks for it here; a reset without one opens a bare sandbox and never comes here.
 */
@FunctionalInterface
public interface Tasks {
    /**
     * Opens (creates and seeds) the Spindle session {@code request.sessionId()} for the task, deterministically
     * from {@code request.seed()}. A client mistake (no such task) is a {@link SpindleException} of a 4xx type.
     */
    TaskEpisode open(TaskRequest request);

    /** What to open: a task, the seed that fixes its state, the client's episode id and the session to create. */
    record TaskRequest(String taskId, long seed, String episodeId, String sessionId) {}
}
