package dev.spindle.env;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code spindle task check} found for one task: the reference solution's run and verdict, and the
 * verdict on a session where nothing was done.
 *
 * @param task the task's id
 * @param unknownTools names in the task's {@code tools} that are neither a tool nor a component here
 * @param solutionFailure the first reference call that failed; null when all succeeded
 * @param solved the verdict after the reference solution (must be reward 1)
 * @param idle the verdict with no call made (must be reward 0)
 */
public record TaskCheck(String task, List<String> unknownTools, String solutionFailure, Verdict solved, Verdict idle) {

    public TaskCheck {
        unknownTools = List.copyOf(unknownTools);
    }

    public boolean passed() {
        return problems().isEmpty();
    }

    /** Each reason the task is broken, as a sentence. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!unknownTools.isEmpty()) {
            problems.add("tools names what this runtime does not have: " + String.join(", ", unknownTools));
        }
        if (solutionFailure != null) {
            problems.add("the reference solution fails: " + solutionFailure);
        }
        if (solved.reward() < 1) {
            problems.add("the reference solution scores " + solved.reward() + ", not 1");
        }
        if (idle.reward() > 0) {
            problems.add("doing nothing scores " + idle.reward() + ", not 0: the verifier pays for no work");
        }
        return problems;
    }
}
