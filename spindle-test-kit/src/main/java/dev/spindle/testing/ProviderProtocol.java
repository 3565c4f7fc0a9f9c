package dev.spindle.testing;

import dev.spindle.testing.ScriptedAgent.Decision;
import dev.spindle.testing.ScriptedAgent.Turn;
import tools.jackson.databind.JsonNode;

/** One provider's wire format, as its real API speaks it: a request read into a turn, a decision written as its answer. */
interface ProviderProtocol {
    Turn read(JsonNode request);

    JsonNode answer(Decision decision);
}
