package dev.spindle.server.openenv;

import tools.jackson.databind.JsonNode;

/**
 * A reset's {@code data}: {@code seed?} (an integer, 0 or more), {@code episode_id?} (at most 255 characters, no control characters)
 * and {@code task?} ({@code task_id} is taken too). Other keys are ignored, as OpenEnv drops the keyword
 * arguments its environment does not take (TRL passes a whole dataset row).
 */
record ResetRequest(Long seed, String episodeId, String task) {
    static final ResetRequest BARE = new ResetRequest(null, null, null);

    static ResetRequest parse(JsonNode data) {
        JsonNode seed = data.path("seed");
        if (!absent(seed) && !(seed.canConvertToExactIntegral() && seed.canConvertToLong() && seed.asLong() >= 0)) {
            throw FrameError.invalid("Invalid reset: seed must be a whole number, 0 or more");
        }
        JsonNode episode = data.path("episode_id");
        if (!absent(episode) && !(episode.isString() && episode.stringValue().length() <= 255)) {
            throw FrameError.invalid("Invalid reset: episode_id must be a string of at most 255 characters");
        }
        if (!absent(episode) && episode.stringValue().chars().anyMatch(Character::isISOControl)) {
            // it is echoed in every state and logged: plain text only, as session ids are
            throw FrameError.invalid("Invalid reset: episode_id contains a control character");
        }
        JsonNode task = absent(data.path("task")) ? data.path("task_id") : data.path("task");
        if (!absent(task) && !(task.isString() && !task.stringValue().isBlank())) {
            throw FrameError.invalid("Invalid reset: task must be a task id (a non-empty string)");
        }
        return new ResetRequest(absent(seed) ? null : seed.asLong(), absent(episode) ? null : episode.stringValue(),
                absent(task) ? null : task.stringValue());
    }

    private static boolean absent(JsonNode value) {
        return value.isMissingNode() || value.isNull();
    }
}
