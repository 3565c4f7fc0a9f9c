package dev.spindle.env;

import dev.spindle.core.Json;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task's verifier over one session: the reward in [0, 1] and every assertion's outcome. The reward is
 * the weighted share of scored assertions that passed (a test suite's command scoring the share of its
 * tests that passed), or 0 when any gate failed.
 *
 * @param task the task's id
 * @param reward 0 to 1
 * @param checks each assertion in the task's order
 */
public record Verdict(String task, double reward, List<Check> checks) {

    /**
     * One assertion's outcome.
     *
     * @param name the assertion's name (given, or its kind and target)
     * @param kind {@code exists}, {@code called}, {@code state_hash}...
     * @param gate true when failing it zeroes the reward; false when it scores {@code weight}
     * @param score 1 passed, 0 failed; between them (a {@code command} scored by its tests) the share that passed
     * @param expected what it expected (JSON; null when nothing to show)
     * @param actual what it found (JSON; null when nothing was there)
     * @param message why it failed; null when it passed
     */
    public record Check(String name, String kind, boolean gate, double weight, boolean passed, double score, JsonNode expected, JsonNode actual, String message) {}

    public Verdict {
        checks = List.copyOf(checks);
    }

    static Verdict of(String task, List<Check> checks) {
        boolean gatesHold = checks.stream().filter(Check::gate).allMatch(Check::passed);
        double total = checks.stream().filter(c -> !c.gate()).mapToDouble(Check::weight).sum();
        double earned = checks.stream().filter(c -> !c.gate()).mapToDouble(c -> c.weight() * c.score()).sum();
        return new Verdict(task, gatesHold && total > 0 ? earned / total : 0, checks);
    }

    /** True when the reward is 1: every gate held and every scored assertion passed. */
    public boolean solved() {
        return checks.stream().allMatch(Check::passed);
    }

    /** {@code {task, reward, solved, checks: [{name, kind, gate, weight, passed, score, expected, actual, message}]}}. */
    public ObjectNode toJson() {
        ArrayNode list = Json.array();
        for (Check c : checks) {
            ObjectNode check = list.addObject().put("name", c.name()).put("kind", c.kind()).put("gate", c.gate())
                    .put("weight", c.weight()).put("passed", c.passed()).put("score", c.score());
            check.set("expected", c.expected());
            check.set("actual", c.actual());
            check.put("message", c.message());
        }
        ObjectNode json = Json.object().put("task", task).put("reward", reward).put("solved", solved());
        json.set("checks", list);
        return json;
    }
}
