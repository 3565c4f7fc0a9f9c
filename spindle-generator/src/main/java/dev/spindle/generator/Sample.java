package dev.spindle.generator;

import dev.spindle.core.FailureKind;
import java.util.List;

/** One generated conversation before it becomes a dataset record. */
public record Sample(int index, Topic topic, String question, List<Step> steps, String finalAnswer, LlmUsage usage, int duplicateCalls,
                     int parseFailures) {

    /** A ReAct step: the agent's thought and the calls it made (none for the final step). */
    public record Step(int number, String thought, List<Call> calls) {}

    /**
     * One executed call. {@code arguments} is compact JSON with top-level nulls removed, exactly what
     * was executed; {@code content} is the tool message: the result, or {@code Error (Type): message};
     * {@code micros} is how long the tool service took to answer (for the summary, not the dataset).
     */
    public record Call(String id, String name, String arguments, boolean success, FailureKind errorType, String content, long micros) {}

    /** Token counts as the provider reported them (0 when it did not), and LLM requests made. */
    public record LlmUsage(long inputTokens, long outputTokens, int requests) {
        public static final LlmUsage NONE = new LlmUsage(0, 0, 0);

        public LlmUsage plus(LlmUsage other) {
            return new LlmUsage(inputTokens + other.inputTokens, outputTokens + other.outputTokens, requests + other.requests);
        }
    }

    public List<Call> calls() {
        return steps.stream().flatMap(step -> step.calls().stream()).toList();
    }
}
