package dev.spindle.generator;

import dev.spindle.generator.Sample.Call;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Counts a run as it goes, from every sample thread; {@link #summary} is its closing account. */
final class Tally {
    private final Path dataset;
    private final int requested;
    private final int alreadyPresent;
    private final long startNanos = System.nanoTime();
    private final Map<String, Integer> failures = new TreeMap<>();
    private final Map<String, String> failureExamples = new TreeMap<>();
    private final Map<String, Integer> toolErrors = new TreeMap<>();
    private final Map<String, PerTool> tools = new TreeMap<>();
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

    Tally(Path dataset, int requested, int alreadyPresent) {
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
            PerTool tool = tools.computeIfAbsent(call.name(), name -> new PerTool());
            tool.latencies.add(call.micros());
            if (!call.success() && call.errorType() != null) {
                toolErrors.merge(call.errorType().name(), 1, Integer::sum);
                tool.errors.merge(call.errorType().name(), 1, Integer::sum);
            }
        }
        usage(sample.usage());
    }

    /** Tokens of failed attempts count too: they were paid for. */
    synchronized void usage(Sample.LlmUsage usage) {
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

    synchronized Summary summary(long llmRetries) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return new Summary(dataset, requested, alreadyPresent, written, attempts, interrupted, failures, failureExamples,
                new Summary.PerSample(mean(steps), maxSteps), new Summary.PerSample(mean(calls), maxCalls), calls, duplicates, toolErrors,
                perTool(),
                new Summary.Llm(llmRequests, llmRetries, inputTokens, outputTokens),
                Math.round(seconds * 100) / 100.0, seconds == 0 ? 0 : Math.round(written / seconds * 100) / 100.0);
    }

    /** One tool's calls in the written samples. */
    private static final class PerTool {
        final Latencies latencies = new Latencies();
        final Map<String, Integer> errors = new TreeMap<>();
    }

    private Map<String, Summary.Tool> perTool() {
        Map<String, Summary.Tool> figures = new TreeMap<>();
        tools.forEach((name, tool) -> figures.put(name, new Summary.Tool(tool.latencies.count(), tool.latencies.millis(0.5),
                tool.latencies.millis(0.99), tool.errors)));
        return figures;
    }

    private double mean(long total) {
        return written == 0 ? 0 : Math.round(total * 100.0 / written) / 100.0;
    }
}
