package dev.spindle.generator;

import dev.spindle.core.Json;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * The closing account of a run, printed and saved next to the dataset as {@code <name>.summary.json}.
 *
 * @param failures samples given up, by kind (every map is in key order); {@code failureExamples} holds the first message of each kind
 * @param toolErrors failed tool calls in the written samples, by error type
 * @param tools the written samples' calls by tool name: how many, their latency, their errors by type
 * @param seconds wall time of the run, rounded to hundredths
 */
public record Summary(Path dataset, int requested, int alreadyPresent, int written, int attempts, boolean interrupted,
        Map<String, Integer> failures, Map<String, String> failureExamples, PerSample steps, PerSample calls,
        long toolCalls, long duplicateCalls, Map<String, Integer> toolErrors, Map<String, Tool> tools, Llm llm, double seconds,
        double samplesPerSecond) {

    /** Per written sample: the mean (rounded to hundredths) and the largest. */
    public record PerSample(double mean, int max) {}

    /**
     * One tool's calls, as {@code GET /metrics} counts them on the server: latency as the generator saw it
     * (the tool service's answer time, HTTP included when remote), in milliseconds; errors by type.
     */
    public record Tool(long calls, double p50Millis, double p99Millis, Map<String, Integer> errors) {
        public Tool {
            errors = sorted(errors);
        }
    }

    /** LLM use, failed attempts included: they were paid for. */
    public record Llm(long requests, long retries, long inputTokens, long outputTokens) {}

    public Summary {
        failures = sorted(failures);
        failureExamples = sorted(failureExamples);
        toolErrors = sorted(toolErrors);
        tools = sorted(tools);
    }

    public int failed() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Every requested sample is in the dataset, from this run or an earlier one. */
    public boolean complete() {
        return written + alreadyPresent >= requested;
    }

    /** The saved form: snake_case keys, maps in key order. */
    public ObjectNode toJson() {
        ObjectNode json = Json.object().put("dataset", dataset.toString()).put("requested", requested)
                .put("already_present", alreadyPresent).put("written", written).put("failed", failed()).put("attempts", attempts)
                .put("interrupted", interrupted);
        json.set("failures", Json.MAPPER.valueToTree(failures));
        json.set("failure_examples", Json.MAPPER.valueToTree(failureExamples));
        json.putObject("steps_per_sample").put("mean", steps.mean()).put("max", steps.max());
        json.putObject("calls_per_sample").put("mean", calls.mean()).put("max", calls.max());
        json.put("tool_calls", toolCalls).put("duplicate_calls", duplicateCalls);
        json.set("tool_errors", Json.MAPPER.valueToTree(toolErrors));
        ObjectNode perTool = json.putObject("tools");
        tools.forEach((name, tool) -> perTool.putObject(name).put("calls", tool.calls()).put("p50_ms", tool.p50Millis())
                .put("p99_ms", tool.p99Millis()).set("errors", Json.MAPPER.valueToTree(tool.errors())));
        json.putObject("llm").put("requests", llm.requests()).put("retries", llm.retries())
                .put("input_tokens", llm.inputTokens()).put("output_tokens", llm.outputTokens());
        json.put("seconds", seconds).put("samples_per_second", samplesPerSecond);
        return json;
    }

    /** The few lines printed at the end of a run. */
    public String render() {
        StringBuilder out = new StringBuilder()
                .append("wrote ").append(written).append(" of ").append(requested).append(" samples")
                .append(alreadyPresent > 0 ? " (" + alreadyPresent + " were already there)" : "")
                .append(" to ").append(dataset).append(" in ").append(seconds).append(" s")
                .append(interrupted ? " (interrupted)" : "").append('\n')
                .append("  steps/sample ").append(steps.mean()).append(" (max ").append(steps.max())
                .append("), calls/sample ").append(calls.mean()).append(" (max ").append(calls.max())
                .append("), duplicate calls ").append(duplicateCalls).append('\n')
                .append("  tool errors ").append(Json.write(toolErrors)).append(", LLM requests ").append(llm.requests())
                .append(" (retries ").append(llm.retries()).append("), tokens in/out ")
                .append(llm.inputTokens()).append('/').append(llm.outputTokens());
        tools.forEach((name, tool) -> out.append("\n  ").append(name).append(": ").append(tool.calls()).append(" calls, p50 ")
                .append(tool.p50Millis()).append(" ms, p99 ").append(tool.p99Millis()).append(" ms")
                .append(tool.errors().isEmpty() ? "" : ", errors " + Json.write(tool.errors())));
        if (failed() > 0) {
            out.append("\n  failed ").append(failed()).append(": ").append(Json.write(failures));
            failureExamples.forEach((kind, example) -> out.append("\n    ").append(kind).append(": ").append(example));
        }
        return out.toString();
    }

    private static <V> SortedMap<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }
}
