package dev.spindle.server.openenv;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.runtime.SessionAdmin;
import dev.spindle.core.runtime.ToolCalls;
import dev.spindle.env.Task;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open episode slot, over sockets and {@code POST /mcp} sessions: at most {@code maxEnvs} at once, each
 * closed when its owner ends it or, idle past the timeout, by the reaper. A slot holds one episode at a time;
 * a reset replaces it (its Spindle session ends, a new one opens).
 */
final class Episodes {
    private final ToolCalls calls;
    private final SessionAdmin sessions;
    private final TaskCatalog tasks;
    private final TaskEnvironment environment;
    private final EnvConfig config;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();

    <R extends ToolCalls & SessionAdmin> Episodes(R runtime, TaskCatalog tasks, TaskEnvironment environment, EnvConfig config) {
        this.calls = runtime;
        this.sessions = runtime;
        this.tasks = tasks;
        this.environment = environment;
        this.config = config;
    }

    /** One capacity slot: a socket's episodes in turn, or the one episode of a {@code POST /mcp} session. */
    static final class Slot {
        final String id = "env-" + UUID.randomUUID();
        /** What the reaper does to end the slot's owner (close its socket); null: the slot is released directly. */
        final Runnable reap;
        private Episode episode;
        private boolean released;
        private volatile long lastUsedMillis = System.currentTimeMillis();

        Slot(Runnable reap) {
            this.reap = reap;
        }

        synchronized Episode episode() {
            return episode;
        }

        void touch() {
            lastUsedMillis = System.currentTimeMillis();
        }
    }

    /** A new slot; {@code CAPACITY_REACHED} when {@code maxEnvs} are open. */
    Slot acquire(Runnable reap) {
        if (active.incrementAndGet() > config.maxEnvs()) {
            active.decrementAndGet();
            FrameError full = new FrameError(ErrorCode.CAPACITY_REACHED, "Server at capacity: " + config.maxEnvs()
                    + " episodes are open (--max-envs); retry once one closes");
            full.data.put("active_sessions", config.maxEnvs()).put("max_sessions", config.maxEnvs());
            throw full;
        }
        Slot slot = new Slot(reap);
        slots.put(slot.id, slot);
        return slot;
    }

    /** Ends the slot's episode, if any, and opens a new one as asked; may block (store, seeding, the task). */
    Episode reset(Slot slot, ResetRequest request) {
        synchronized (slot) {
            if (slot.released) {
                throw new FrameError(ErrorCode.SESSION_ERROR, "The session is closed");
            }
            if (slot.episode != null) {
                slot.episode.close();
                slot.episode = null;
            }
            slot.episode = open(request);
            slot.touch();
            return slot.episode;
        }
    }

    private Episode open(ResetRequest request) {
        long seed = request.seed() != null ? request.seed() : ThreadLocalRandom.current().nextLong(1L << 31);
        String episodeId = request.episodeId() != null ? request.episodeId() : UUID.randomUUID().toString();
        String sessionId = "env-" + UUID.randomUUID();
        if (request.task() == null) {
            sessions.openSession(new SessionSpec(sessionId, Map.of(), null, seed));
            return new Episode(calls, sessions, environment, sessionId, episodeId, seed, null);
        }
        Task task = tasks.find(request.task()).orElseThrow(() -> new SpindleException(ErrorType.InvalidRequest,
                "Unknown task: " + request.task() + (tasks.size() == 0 ? " (this server serves no tasks: start it with --tasks DIR)"
                        : ". Tasks: " + String.join(", ", tasks.tasks().stream().map(Task::id).toList()))));
        environment.open(task, seed, sessionId); // the session in the task's seeded starting state
        return new Episode(calls, sessions, environment, sessionId, episodeId, seed, task);
    }

    /** Frees the slot and ends its episode's session; a second release does nothing. May block. */
    void release(Slot slot) {
        if (slots.remove(slot.id) == null) {
            return;
        }
        active.decrementAndGet();
        synchronized (slot) {
            slot.released = true;
            if (slot.episode != null) {
                slot.episode.close();
                slot.episode = null;
            }
        }
    }

    /** The {@code POST /mcp} session's slot with this id (never a socket's); null when there is none. */
    Slot session(String id) {
        Slot slot = id == null ? null : slots.get(id);
        if (slot == null || slot.reap != null) {
            return null;
        }
        slot.touch();
        return slot;
    }

    /**
     * Ends every slot idle past the timeout: releases it (its session closes), then closes its socket, if
     * any, so that a client that sees its socket closed never finds the session still there.
     */
    void reap() {
        long cutoff = System.currentTimeMillis() - config.idleTimeout().toMillis();
        for (Slot slot : List.copyOf(slots.values())) {
            if (slot.lastUsedMillis < cutoff) {
                release(slot);
                if (slot.reap != null) {
                    slot.reap.run();
                }
            }
        }
    }

    int active() {
        return active.get();
    }

    void closeAll() {
        List.copyOf(slots.values()).forEach(this::release);
    }
}
