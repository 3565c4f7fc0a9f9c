package dev.spindle.env;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A task read from a {@code *.task.yaml} file ({@link TaskFile}; format in {@code docs/tasks.md}): what the
 * agent is asked, the state its session starts in, the tools it may use, its step budget, how its final
 * state is graded, and a reference solution.
 *
 * @param id unique in its catalogue; letters, digits, {@code . _ -}
 * @param instruction what the agent is asked to do
 * @param files the seeded files, canonical path to text ({@code seed.from}, then {@code seed.files})
 * @param mockTools documents for the mock's {@code load-schema} (global: the mock catalogue is shared; a tool that
 *     another task defines differently is renamed to this task's own copy, {@link ScopedMockTools})
 * @param mockData documents for the mock's {@code load-data}, applied to each session of the task only
 * @param tools allowed tool or component names; empty for every tool served
 * @param maxSteps the step budget: tool calls an episode may make
 * @param verifier the assertions, in order
 * @param solution the reference solution: tool calls that solve the task from its seed
 * @param codeTimeoutMs the {@code timeout_ms} of every call to a tool that takes one (the code tools) and is
 *     given none; null for the tool's own default
 * @param source the file it was read from
 */
public record Task(String id, String instruction, Map<String, String> files, List<JsonNode> mockTools, List<JsonNode> mockData,
        List<String> tools, int maxSteps, List<Graded> verifier, List<Step> solution, Integer codeTimeoutMs, Path source) {

    /** One assertion of the verifier with its name, and its weight (0 for a gate, which scores nothing). */
    public record Graded(String name, double weight, boolean gate, Assertion assertion) {
        /** The assertion's kind: {@code exists}, {@code called}, {@code state_hash}... */
        public String kind() {
            return assertion.kind();
        }
    }

    /** One call of the reference solution; {@code component} may be null (the first component with the tool). */
    public record Step(String tool, String component, JsonNode args) {}

    public Task {
        files = Map.copyOf(files);
        mockTools = List.copyOf(mockTools);
        mockData = List.copyOf(mockData);
        tools = List.copyOf(tools);
        verifier = List.copyOf(verifier);
        solution = List.copyOf(solution);
    }
}
