package dev.spindle.eval;

import dev.langchain4j.model.chat.ChatModel;
import dev.spindle.client.SpindleClient;
import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolService;
import dev.spindle.env.Task;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.generator.Agent;
import dev.spindle.generator.Progress;
import dev.spindle.generator.ReplaySessions;
import dev.spindle.generator.Records;
import dev.spindle.generator.Sample;
import dev.spindle.generator.SampleFailure;
import dev.spindle.generator.Shard;
import dev.spindle.generator.Topic;
import dev.spindle.generator.config.GeneratorConfig;
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
import java.util.function.UnaryOperator;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code spindle eval}: each item (a task, or a record of a dataset) is attempted {@code attempts} times,
 * each attempt in a fresh session by the generator's agent loop, then graded by what the item says (a
 * task's verifier; a record's own replay). An attempt the infrastructure broke (the LLM after its retries,
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

    private final ChatModel model;
    private final GeneratorConfig.Llm llm;
    private final Options options;
    private final Consumer<String> log;

    public EvalRun(ChatModel model, GeneratorConfig.Llm llm, Options options, Consumer<String> log) {
        this.model = model;
        this.llm = llm;
        this.options = options;
        this.log = log;
    }

    /** Tasks to attempt, each in sessions of {@code environment}. */
    public static List<Item> tasks(List<Task> tasks, TaskEnvironment environment, ToolService service) {
        return List.copyOf(TaskItem.of(tasks, environment, service));
    }

    /** The tasks a served Spindle offers ({@code serve --tasks}), by id (all of them for none), each attempted over HTTP. */
    public static List<Item> servedTasks(SpindleClient client, List<String> ids) {
        return List.copyOf(ServedTaskItem.of(client, ids));
    }

    /**
     * The records of a dataset, each started by {@code sessions} (as {@code verify} replays it), offered the
     * record's tools that {@code served} holds, and graded against its own replay by the state {@code digest}.
     */
    public static List<Item> records(Path dataset, ReplaySessions sessions, ToolBox served, int maxCalls, UnaryOperator<String> digest) {
        return List.copyOf(RecordItem.load(dataset, sessions, served, maxCalls, digest));
    }

    /** What an eval attempts: a task ({@link TaskItem}) or a dataset record ({@link RecordItem}). */
    public interface Item {
        /** The id results lines and the summary group attempts by. */
        String id();

        /** One attempt, played by {@code run} and graded; an {@link Infra} when the infrastructure, not the model, ended it. */
        ObjectNode graded(int attempt, EvalRun run);
    }

    /** Runs what {@code output} does not hold yet and writes the summary; the summary covers the whole file. */
    public EvalSummary run(List<? extends Item> items, Path output) {
        ResultsFile results = ResultsFile.open(output, options.resume(), options.overwrite());
        record Pending(Item item, int attempt) {}
        List<Pending> pending = new ArrayList<>();
        for (int index = 0; index < items.size(); index++) {
            Item item = items.get(index);
            for (int attempt = 1; options.shard().holds(index) && attempt <= options.attempts(); attempt++) {
                if (!results.holds(item.id(), attempt)) {
                    pending.add(new Pending(item, attempt));
                }
            }
        }
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        Progress progress = options.progress() && !pending.isEmpty() ? Progress.start("attempts", pending.size(), log) : null;
        try (ExecutorService workers = Executors.newFixedThreadPool(options.concurrency(), Thread.ofVirtual().name("eval-", 0).factory())) {
            List<Future<?>> running = pending.stream().<Future<?>>map(next -> workers.submit(() -> {
                ObjectNode line = attempt(next.item(), next.attempt());
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

    private ObjectNode attempt(Item item, int attempt) {
        Infra last = null;
        for (int tries = 0; tries <= options.infraRetries(); tries++) {
            try {
                return item.graded(attempt, this);
            } catch (Infra infra) {
                last = infra;
            }
        }
        ObjectNode line = Json.object().put("task", item.id()).put("attempt", attempt).put("status", AttemptLine.INFRA_ERROR);
        line.putObject("infra_error").put("cause", last.cause).put("message", last.getMessage()).put("tries", options.infraRetries() + 1);
        return line;
    }

    /**
     * What the model did in one attempt: its sample (no steps when its answer could not be used, which is the
     * model's fault and noted as {@code modelFault}), how long it took, its tools and the system prompt it had.
     */
    record Played(Sample sample, String modelFault, long latencyMillis, ToolBox tools, String systemPrompt) {}

    /**
     * The model's turns in {@code session}, by the generator's agent loop: {@code instruction} as the user turn,
     * {@code systemPrompt} (null for none; {@code --system-prompt} wins), at most {@code maxCalls} tool calls
     * ({@code --max-steps} wins).
     */
    Played play(String id, int attempt, String systemPrompt, String instruction, ToolBox tools, ToolRunner runner, int maxCalls, String session) {
        long start = System.nanoTime();
        String system = options.systemPrompt() != null ? options.systemPrompt() : systemPrompt;
        int calls = options.maxCalls() != null ? options.maxCalls() : maxCalls;
        Agent agent = new Agent(model, tools, runner, Agent.Settings.forAttempts(system, calls, llm, options.callFormat()), log);
        Topic topic = new Topic(id, id);
        try {
            return new Played(agent.attempt(attempt, topic, instruction, session), null, (System.nanoTime() - start) / 1_000_000, tools, system);
        } catch (SampleFailure failure) {
            if (failure.kind() != SampleFailure.Cause.invalid_answer) {
                throw new Infra(failure.kind().name(), failure.getMessage());
            }
            // an answer the loop could not use is the model's doing: the session is graded as it was left
            Sample empty = new Sample(attempt, topic, instruction, List.of(), "", failure.usage(), 0, 0);
            return new Played(empty, failure.getMessage(), (System.nanoTime() - start) / 1_000_000, tools, system);
        } catch (SpindleException e) {
            throw new Infra("tool_service", e.getMessage());
        } catch (RuntimeException e) {
            throw new Infra("unexpected", e.toString()); // a bug ends this attempt, never the run
        }
    }

    /** A graded attempt's line: what every item's line holds; the item adds its own grading details. */
    ObjectNode line(String id, int attempt, Played played, double reward, boolean solved) {
        Sample sample = played.sample();
        ObjectNode line = Json.object().put("task", id).put("attempt", attempt).put("status", AttemptLine.GRADED)
                .put("reward", reward).put("solved", solved);
        line.put("steps", sample.steps().size());
        ArrayNode calls = line.putArray("tool_calls");
        sample.calls().forEach(call -> calls.addObject().put("name", call.name())
                .put("error_type", call.success() ? null : call.errorType().name()));
        line.put("parse_failures", sample.parseFailures());
        if (played.modelFault() != null) {
            line.put("model_error", played.modelFault());
        }
        line.putObject("tokens").put("input", sample.usage().inputTokens()).put("output", sample.usage().outputTokens())
                .put("requests", sample.usage().requests());
        line.put("latency_ms", played.latencyMillis());
        line.set("trajectory", Records.record(sample, played.systemPrompt(), played.tools(), true));
        return line;
    }

    /** The infrastructure, not the model, ended the attempt; {@code cause} is the summary's bucket. */
    static final class Infra extends RuntimeException {
        final String cause;

        Infra(String cause, String message) {
            super(message, null, false, false);
            this.cause = cause;
        }
    }

    /** Closes an attempt's session; a failure is only logged: the attempt is graded already. */
    static void closeQuietly(ToolService service, String session, EvalRun run) {
        try {
            service.closeSession(session);
        } catch (RuntimeException e) {
            run.log.accept("warning: could not close session " + session + ": " + e.getMessage());
        }
    }

    static UncheckedIOException unwritable(Path path, IOException e) {
        return new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
}
