package dev.spindle.generator;

import dev.spindle.core.Json;
import dev.spindle.generator.Sample.Call;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ObjectNode;

/** The closing account of a run, printed and saved next to the dataset as {@code <name>.summary.json}. */
public final class Summary {
    private final Path dataset;
    private final int requested;
    private final int alreadyPresent;
    private final long startNanos = System.nanoTime();
    private final Map<String, Integer> failures = new TreeMap<>();
    private final Map<String, String> failureExamples = new TreeMap<>();
    private final Map<String, Integer> toolErrors = new TreeMap<>();
    private int written;
    private int attempts;
    private long steps;
    private int maxSteps;
    private long calls;
    private int maxCalls;
    private long duplicates;
    private long inputTokens;
    private long outputTokens;
    private long llmRequests;
    private boolean interrupted;

    Summary(Path dataset, int requested, int alreadyPresent) {
        this.dataset = dataset;
        this.requested = requested;
        this.alreadyPresent = alreadyPresent;
    }

    synchronized void attempt() {
        attempts++;
    }

    synchronized void written(Sample sample) {
        written++;
        steps += sample.steps().size();
        maxSteps = Math.max(maxSteps, sample.steps().size());
        var sampleCalls = sample.calls();
        calls += sampleCalls.size();
        maxCalls = Math.max(maxCalls, sampleCalls.size());
        duplicates += sample.duplicateCalls();
        for (Call call : sampleCalls) {
            if (!call.success() && call.errorType() != null) {
                toolErrors.merge(call.errorType().name(), 1, Integer::sum);
            }
        }
        usage(sample.usage());
    }

    /** Tokens of failed attempts count too: they were paid for. */
    synchronized void usage(Sample.Usage usage) {
        inputTokens += usage.inputTokens();
        outputTokens += usage.outputTokens();
        llmRequests += usage.requests();
    }

    synchronized void failed(SampleFailure failure) {
        failures.merge(failure.kind().name(), 1, Integer::sum);
        failureExamples.putIfAbsent(failure.kind().name(), failure.getMessage());
    }

    synchronized void interrupted() {
        interrupted = true;
    }

    synchronized int written() {
        return written;
    }

    synchronized int failed() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    synchronized ObjectNode toJson(long llmRetries) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        ObjectNode json = Json.object().put("dataset", dataset.toString()).put("requested", requested)
                .put("already_present", alreadyPresent).put("written", written).put("failed", failed()).put("attempts", attempts)
                .put("interrupted", interrupted);
        json.set("failures", Json.MAPPER.valueToTree(failures));
        json.set("failure_examples", Json.MAPPER.valueToTree(failureExamples));
        json.putObject("steps_per_sample").put("mean", mean(steps)).put("max", maxSteps);
        json.putObject("calls_per_sample").put("mean", mean(calls)).put("max", maxCalls);
        json.put("tool_calls", calls).put("duplicate_calls", duplicates);
        json.set("tool_errors", Json.MAPPER.valueToTree(toolErrors));
        json.putObject("llm").put("requests", llmRequests).put("retries", llmRetries).put("input_tokens", inputTokens).put("output_tokens", outputTokens);
        json.put("seconds", Math.round(seconds * 100) / 100.0).put("samples_per_second", seconds == 0 ? 0 : Math.round(written / seconds * 100) / 100.0);
        return json;
    }

    private double mean(long total) {
        return written == 0 ? 0 : Math.round(total * 100.0 / written) / 100.0;
    }

    public static String render(ObjectNode json) {
        StringBuilder out = new StringBuilder()
                .append("wrote ").append(json.get("written").asInt()).append(" of ").append(json.get("requested").asInt()).append(" samples")
                .append(json.get("already_present").asInt() > 0 ? " (" + json.get("already_present").asInt() + " were already there)" : "")
                .append(" to ").append(json.get("dataset").asString()).append(" in ").append(json.get("seconds").asDouble()).append(" s")
                .append(json.get("interrupted").asBoolean() ? " (interrupted)" : "").append('\n')
                .append("  steps/sample ").append(json.at("/steps_per_sample/mean").asDouble()).append(" (max ").append(json.at("/steps_per_sample/max").asInt())
                .append("), calls/sample ").append(json.at("/calls_per_sample/mean").asDouble()).append(" (max ").append(json.at("/calls_per_sample/max").asInt())
                .append("), duplicate calls ").append(json.get("duplicate_calls").asLong()).append('\n')
                .append("  tool errors ").append(json.get("tool_errors")).append(", LLM requests ").append(json.at("/llm/requests").asLong())
                .append(" (retries ").append(json.at("/llm/retries").asLong()).append("), tokens in/out ")
                .append(json.at("/llm/input_tokens").asLong()).append('/').append(json.at("/llm/output_tokens").asLong());
        if (json.get("failed").asInt() > 0) {
            out.append("\n  failed ").append(json.get("failed").asInt()).append(": ").append(json.get("failures"));
            json.get("failure_examples").properties().forEach(e -> out.append("\n    ").append(e.getKey()).append(": ").append(e.getValue().asString()));
        }
        return out.toString();
    }
}
