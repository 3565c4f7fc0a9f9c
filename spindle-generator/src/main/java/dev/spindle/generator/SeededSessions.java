package dev.spindle.generator;

import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolService;
import dev.spindle.generator.tools.ToolBox;
import dev.spindle.generator.tools.ToolRunner;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Replays as a generator config made the records: each one in a fork of a session seeded with the
 * config's files (made on the first record, closed by {@link #finish}), or in an empty session.
 */
public final class SeededSessions implements ReplaySessions {
    private final ToolService service;
    private final ToolRunner runner;
    private final ToolBox tools;
    private final Map<String, String> seed;
    private String template;

    /** {@code tools} may be null (no config): each call then goes to whichever component has that tool. */
    public SeededSessions(ToolService service, ToolRunner runner, ToolBox tools, Map<String, String> seed) {
        this.service = service;
        this.runner = runner;
        this.tools = tools;
        this.seed = seed;
    }

    @Override
    public boolean seeded() {
        return !seed.isEmpty();
    }

    @Override
    public synchronized ReplaySession open(JsonNode record) {
        String id = "verify-" + UUID.randomUUID();
        if (seed.isEmpty()) {
            service.openSession(new SessionSpec(id, Map.of(), null));
        } else {
            if (template == null) {
                template = service.openSession(new SessionSpec("verify-template-" + UUID.randomUUID(), seed, null)).sessionId();
            }
            service.forkSession(template, id);
        }
        return new ReplaySession(id, runner, tools, "the config's tools", Optional::empty, () -> service.closeSession(id));
    }

    @Override
    public synchronized void finish() {
        if (template != null) {
            service.closeSession(template);
            template = null;
        }
    }
}
