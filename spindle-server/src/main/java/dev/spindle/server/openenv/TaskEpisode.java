package dev.spindle.server.openenv;

import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One open task session, as {@link Tasks#open} made it. Called by one thread at a time. */
public interface TaskEpisode {
    /** What the agent is asked to do; the reset observation's {@code instruction}. */
    String instruction();

    /** The exposed names of the tools the agent may call (besides {@code submit}); empty for every served tool. */
    Set<String> allowedTools();

    /** Tool calls allowed (submit aside); past them the episode ends with reward 0. 0 for no limit. */
    int stepBudget();

    /** A call's arguments as the task completes them (its code timeout for a call that gives none). */
    default ObjectNode arguments(String component, String tool, ObjectNode arguments) {
        return arguments;
    }

    /** Runs the verifier over the session as it is now. */
    Verdict verify();

    /** A verifier's answer: a reward in [0, 1] and its per-assertion breakdown (any JSON). */
    record Verdict(double reward, JsonNode breakdown) {}
}
