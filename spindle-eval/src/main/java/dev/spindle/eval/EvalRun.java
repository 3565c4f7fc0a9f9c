package dev.spindle.eval;

import dev.langchain4j.model.chat.ChatModel;
import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolService;
import dev.spindle.env.Task;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.env.Verdict;
import dev.spindle.generator.Agent;
import dev.spindle.generator.Progress;
import dev.spindle.generator.Records;
import dev.spindle.generator.Sample;
import dev.spindle.generator.SampleFailure;
import dev.spindle.generator.Shard;
import dev.spindle.generator.Topic;
import dev.spindle.generator.config.GeneratorConfig;
import dev.spindle.generator.tools.AgentTool;
import dev.spindle.generator.tools.TextToolCalls;
import dev.spindle.generator.tools.ToolBox;
import dev.spindle.generator.tools.ToolRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code spindle eval}: each task is attempted {@code attempts} times, each attempt in a fresh session
 * seeded as the task says (with the attempt's number as its seed, so an attempt replays), the
 * instruction as the user turn and only the task's tools, by the generator's agent loop; then the
 * task's verifier grades the session. An attempt the infrastructure broke (the LLM after its retries,
 * the tool service, the verifier) is tried again up to {@code infraRetries} times and, if it still
 * fails, recorded as {@code infra_error}, never as a reward of 0. Formats: docs/eval.md.
 */
public final class EvalRun {
    /** How a run is shaped; {@code maxCalls} null keeps each task's own {@code max_steps}. */
    public record Options(int attempts, int concurrency, Integer maxCalls, Shard shard, boolean resume, boolean overwrite,
                          int infraRetries, TextToolCalls.Format callFormat, String systemPrompt, boolean progress) {
        public Options {
            if (attempts < 1 || concurrency < 1 || infraRetries < 0 || maxCalls != null && maxCalls < 1) {
                throw new ConfigException("eval: --attempts, --concurrency and --max-steps must be at least 1, --infra-retries at least 0");
            }
        }
    }

    private final TaskEnvironment environment;
    private final ToolService service;
    private final ChatModel model;
    private final GeneratorConfig.Llm llm;
    private final Options options;
    private final Consumer<String> log;

    public EvalRun(TaskEnvironment environment, ToolService service, ChatModel model, GeneratorConfig.Llm llm, Options options, Consumer<String> log) {
        this.environment = environment;
        this.service = service;
        this.model = model;
        this.llm = llm;
        this.options = options;
        this.log = log;
    }

    /** Runs what {@code output} does not hold yet and writes the summary; the summary covers the whole file. */
    public EvalSummary run(List<Task> tasks, Path output) {
        ResultsFile results = ResultsFile.open(output, options.resume(), options.overwrite());
        record Pending(Task task, int attempt) {}
        List<Pending> pending = new ArrayList<>();
        for (int index = 0; index < tasks.size(); index++) {
            Task task = tasks.get(index);
            for (int attempt = 1; options.shard().holds(index) && attempt <= options.attempts(); attempt++) {
                if (!results.holds(task.id(), attempt)) {
                    pending.add(new Pending(task, attempt));
                }
            }
        }
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        Progress progress = options.progress() && !pending.isEmpty() ? Progress.start("attempts", pending.size(), log) : null;
        try (ExecutorService workers = Executors.newFixedThreadPool(options.concurrency(), Thread.ofVirtual().name("eval-", 0).factory())) {
            List<Future<?>> running = pending.stream().<Future<?>>map(next -> workers.submit(() -> {
                ObjectNode line = attempt(next.task(), next.attempt());
                results.append(line);
                (line.path("solved").asBoolean() ? passed : other).incrementAndGet();
                if (progress != null) {
                    progress.step(passed.get(), other.get());
                }
            })).toList();
            for (Future<?> attempt : running) {
                attempt.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the eval was interrupted; --resume continues it");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        EvalSummary summary = EvalSummary.of(results.lines(), options.attempts());
        results.writeSummary(summary);
        return summary;
    }

    private ObjectNode attempt(Task task, int attempt) {
        Infra last = null;
        for (int tries = 0; tries <= options.infraRetries(); tries++) {
            try {
                return graded(task, attempt);
            } catch (Infra infra) {
                last = infra;
            }
        }
        ObjectNode line = Json.object().put("task", task.id()).put("attempt", attempt).put("status", AttemptLine.INFRA_ERROR);
        line.putObject("infra_error").put("cause", last.cause).put("message", last.getMessage()).put("tries", options.infraRetries() + 1);
        return line;
    }

    private ObjectNode graded(Task task, int attempt) {
        long seed = attempt;
        String session;
        try {
            session = environment.open(task, seed, null).sessionId();
        } catch (SpindleException e) {
            throw new Infra("tool_service", "the task's session could not be opened: " + e.getMessage());
        }
        try {
            long start = System.nanoTime();
            ToolBox tools = new ToolBox(environment.tools(task).stream().map(definition -> new AgentTool(definition, null)).toList());
            ToolRunner runner = (sessionId, tool, arguments) -> environment.call(task, sessionId, tool.name(), arguments);
            int maxCalls = options.maxCalls() != null ? options.maxCalls() : task.maxSteps();
            Agent agent = new Agent(model, tools, runner, Agent.Settings.forAttempts(options.systemPrompt(), maxCalls, llm, options.callFormat()), log);
            Topic topic = new Topic(task.id(), task.id());
            Sample sample;
            String modelFault = null;
            try {
                sample = agent.attempt(attempt, topic, task.instruction(), session);
            } catch (SampleFailure failure) {
                if (failure.kind() != SampleFailure.Cause.invalid_answer) {
                    throw new Infra(failure.kind().name(), failure.getMessage());
                }
                // an answer the loop could not use is the model's doing: the session is graded as it was left
                modelFault = failure.getMessage();
                sample = new Sample(attempt, topic, task.instruction(), List.of(), "", failure.usage(), 0, 0);
            } catch (SpindleException e) {
                throw new Infra("tool_service", e.getMessage());
            } catch (RuntimeException e) {
                throw new Infra("unexpected", e.toString()); // a bug ends this attempt, never the run
            }
            long latency = (System.nanoTime() - start) / 1_000_000;
            Verdict verdict;
            try {
                verdict = environment.verify(task, session, seed);
            } catch (RuntimeException e) {
                throw new Infra("verifier", "the verifier could not run: " + e.getMessage());
            }
            return line(task, attempt, sample, verdict, tools, latency, modelFault);
        } finally {
            try {
                service.closeSession(session);
            } catch (RuntimeException e) {
                log.accept("warning: could not close session " + session + ": " + e.getMessage());
            }
        }
    }

    private ObjectNode line(Task task, int attempt, Sample sample, Verdict verdict, ToolBox tools, long latencyMillis, String modelFault) {
        ObjectNode line = Json.object().put("task", task.id()).put("attempt", attempt).put("status", AttemptLine.GRADED)
                .put("reward", verdict.reward()).put("solved", verdict.solved());
        line.set("checks", verdict.toJson().get("checks"));
        line.put("steps", sample.steps().size());
        ArrayNode calls = line.putArray("tool_calls");
        sample.calls().forEach(call -> calls.addObject().put("name", call.name())
                .put("error_type", call.success() ? null : call.errorType().name()));
        line.put("parse_failures", sample.parseFailures());
        if (modelFault != null) {
            line.put("model_error", modelFault);
        }
        line.putObject("tokens").put("input", sample.usage().inputTokens()).put("output", sample.usage().outputTokens())
                .put("requests", sample.usage().requests());
        line.put("latency_ms", latencyMillis);
        ObjectNode trajectory = Records.record(sample, options.systemPrompt(), tools, true);
        ((ObjectNode) trajectory.get("metadata")).put("task", task.id()).put("seed", (long) attempt);
        line.set("trajectory", trajectory);
        return line;
    }

    /** The infrastructure, not the model, ended the attempt; {@code cause} is the summary's bucket. */
    private static final class Infra extends RuntimeException {
        final String cause;

        Infra(String cause, String message) {
            super(message, null, false, false);
            this.cause = cause;
        }
    }

    static UncheckedIOException unwritable(Path path, IOException e) {
        return new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
}
