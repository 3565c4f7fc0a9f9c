package dev.spindle.cli;

import dev.spindle.eval.Exports;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code spindle rollout}: eval's attempts, and every graded trajectory with its reward as a trainer's dataset (docs/eval.md). */
@Command(name = "rollout", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sample attempts at tasks for RL or rejection sampling: eval's run, plus rollouts.jsonl in --output.",
                "Each row of rollouts.jsonl is one graded attempt: its messages, tools, reward and per-step tool results.",
                "Give --attempts K and a --temperature above 0 for K different attempts per task."})
final class RolloutCommand extends EvalCommand {
    @Override
    void written(List<JsonNode> graded, PrintWriter out) {
        out.printf("rollouts: %d in %s%n", Exports.rollouts(graded, output.resolve("rollouts.jsonl")), output.resolve("rollouts.jsonl"));
    }
}
