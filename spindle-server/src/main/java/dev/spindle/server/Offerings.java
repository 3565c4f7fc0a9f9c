package dev.spindle.server;

import dev.spindle.env.TaskCatalog;

/**
 * What a server offers beyond its tools and sessions, each optional: tasks on {@code /tasks} (and to
 * episodes), and a verifier the web console replays dataset records with.
 */
public record Offerings(TaskCatalog tasks, RecordVerifier verifier) {
    /** No tasks, and the console cannot verify records. */
    public static final Offerings NONE = new Offerings(TaskCatalog.EMPTY, null);

    public Offerings withTasks(TaskCatalog tasks) {
        return new Offerings(tasks, verifier);
    }

    public Offerings withVerifier(RecordVerifier verifier) {
        return new Offerings(tasks, verifier);
    }
}
