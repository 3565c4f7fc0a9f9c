package dev.spindle.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.ToolResult;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.Workload;
import dev.spindle.core.files.VPath;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.core.store.ObservedStore;
import dev.spindle.core.store.SessionData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** The executor seam: the store's executor sees each resolved call once, with its workload, and the answers do not depend on it. */
@Timeout(30)
class CallExecutorTest {
    /** Writes its text to note.txt and answers what the file held before: works only on the session's files. */
    static final Tool NOTE = new Tool() {
        @Override
        public ToolDefinition definition() {
            return new ToolDefinition("note", "Keep a note", Schema.object().required("text", Schema.string("the note")).build(), null);
        }

        @Override
        public JsonNode call(ToolContext context, ObjectNode args) {
            VPath path = context.files().file("note.txt");
            String before = context.files().isFile(path) ? context.files().readText(path) : "";
            context.files().write(path, args.path("text").asString().getBytes(StandardCharsets.UTF_8));
            return StringNode.valueOf(before);
        }

        @Override
        public Workload workload() {
            return Workload.SESSION_DATA;
        }
    };

    /** Answers its text in capitals; declares nothing, so it reaches outside. */
    static final Tool SHOUT = tool("shout", null, args -> args.path("text").asString().toUpperCase());
    static final Tool CRUNCH = tool("crunch", Workload.COMPUTE, args -> Thread.currentThread().getName());

    static Tool tool(String name, Workload workload, Function<ObjectNode, String> answer) {
        return new Tool() {
            @Override
            public ToolDefinition definition() {
                return new ToolDefinition(name, name, Schema.object().optional("text", Schema.string("text")).build(), null);
            }

            @Override
            public JsonNode call(ToolContext context, ObjectNode args) {
                return StringNode.valueOf(answer.apply(args));
            }

            @Override
            public Workload workload() {
                return workload == null ? Tool.super.workload() : workload;
            }
        };
    }

    record Kit(String name, List<Tool> tools) implements Component {
        @Override
        public String description() {
            return "executor test tools";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.SESSION_FILES);
        }
    }

    /** A memory store that offers its own executor, and says it is shared when asked to (its trace then lives in it). */
    record OfferingStore(MemoryStore memory, boolean shared, BiFunction<CallExecutor, ObservedStore, CallExecutor> executor) implements KeyValueStore {
        @Override
        public CallExecutor callExecutor(CallExecutor byWorkload, ObservedStore timing) {
            return executor.apply(byWorkload, timing);
        }

        public String describe() {
            return "memory";
        }

        public boolean blocking() {
            return false;
        }

        public <T> T read(String session, Function<SessionData, T> work) {
            return memory.read(session, work);
        }

        public <T> T write(String session, Function<SessionData, T> work) {
            return memory.write(session, work);
        }

        public Map<String, Integer> deleteSession(String session) {
            return memory.deleteSession(session);
        }

        public void copySession(String from, String to) {
            memory.copySession(from, to);
        }

        public List<String> sessions() {
            return memory.sessions();
        }

        public void close() {
            memory.close();
        }
    }

    /** What the executor was handed: one line per call. */
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService workers = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() throws Exception {
        workers.shutdownNow();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static final List<ToolCall> CALLS = List.of(
            new ToolCall("s", "kit", "note", Json.object().put("text", "first")),
            new ToolCall("s", "kit", "shout", Json.object().put("text", "hey")),
            new ToolCall("s", "kit", "note", Json.object().put("text", "second")),
            new ToolCall("s", "kit", "nope", Json.object()),
            new ToolCall("s", "kit", "note", Json.object().put("text", 7)),
            new ToolCall("t", null, "note", Json.object().put("text", "elsewhere")));

    private static ToolRuntime runtime(KeyValueStore store) {
        return ToolRuntime.builder().withStore(store).withComponent(new Kit("kit", List.of(NOTE, SHOUT, CRUNCH))).build();
    }

    /** Each call's answer as the wire sees it: success, text, error type. */
    private List<String> answers(ToolRuntime runtime) {
        return CALLS.stream().map(call -> runtime.executeAsync(call, workers).toCompletableFuture().join())
                .map(r -> r.success() + " " + r.result() + " " + r.errorType()).toList();
    }

    private static List<String> traced(ToolRuntime runtime, String session) {
        return runtime.trace(session).stream().map(TraceEntry::result).toList();
    }

    @Test
    void theStoresExecutorSeesEachResolvedCallOnceWithItsWorkloadAndTheAnswersAreUnchanged() {
        List<String> plain;
        List<String> plainTrace;
        try (ToolRuntime byWorkload = runtime(new MemoryStore())) {
            plain = answers(byWorkload);
            plainTrace = traced(byWorkload, "s");
        }
        CallExecutor recording = call -> {
            seen.add(call.sessionId() + " " + call.toolName() + " " + call.workload());
            return CallExecutor.BY_WORKLOAD.execute(call);
        };
        try (ToolRuntime offered = runtime(new OfferingStore(new MemoryStore(), false, (byWorkload, timing) -> recording))) {
            assertThat(answers(offered)).isEqualTo(plain).containsExactly("true  null", "true HEY null", "true first null",
                    "false Unknown tool: nope. Available tools: note, shout, crunch UnknownTool",
                    "false Invalid argument /text: integer found, string expected InvalidArguments", "true  null");
            assertThat(traced(offered, "s")).isEqualTo(plainTrace).hasSize(5);
        }
        assertThat(seen).containsExactly("s note SESSION_DATA", "s shout OUTSIDE", "s note SESSION_DATA", "s nope null",
                "s note SESSION_DATA", "t note SESSION_DATA");
    }

    @Test
    void aCallRunsOnTheComputePoolByWorkload() {
        try (ToolRuntime runtime = runtime(new MemoryStore())) {
            ToolResult crunched = runtime.executeAsync(new ToolCall("s", "kit", "crunch", Json.object()), workers).toCompletableFuture().join();
            assertThat(crunched.result()).startsWith("spindle-compute");
        }
    }

    /** Detaches what it can and commits each run's trace entry itself, as an executor of a shared store does. */
    private CallExecutor detaching(CallExecutor byWorkload, KeyValueStore store) {
        return call -> call.detach().<CompletionStage<ToolResult>>map(detached -> {
            seen.add("detached " + call.toolName());
            CallRun run = detached.run(store);
            store.append(detached.sessionId(), detached.trace(), detached.traceEntry(run));
            detached.release();
            return CompletableFuture.completedFuture(detached.served(run));
        }).orElseGet(() -> {
            seen.add("by workload " + call.toolName());
            return byWorkload.execute(call);
        });
    }

    @Test
    void onASharedStoreADetachedCallIsTracedByWhatItsExecutorCommits() {
        MemoryStore memory = new MemoryStore();
        KeyValueStore[] self = new KeyValueStore[1];
        self[0] = new OfferingStore(memory, true, (byWorkload, timing) -> detaching(byWorkload, self[0]));
        try (ToolRuntime runtime = runtime(self[0])) {
            List<String> answers = answers(runtime);
            assertThat(answers.subList(0, 3)).containsExactly("true  null", "true HEY null", "true first null");
            assertThat(traced(runtime, "s")).hasSize(5).startsWith("", "HEY", "first");
            assertThat(runtime.trace("s").stream().map(TraceEntry::tool).toList()).containsExactly("note", "shout", "note", "nope", "note");
            assertThat(runtime.closeSession("s")).as("a released call keeps no close waiting: the files closed with it").isEqualTo(1);
        }
        assertThat(seen).as("a session not known here yet, and tools that do not only touch its data, run by workload")
                .containsExactly("by workload note", "by workload shout", "detached note", "by workload nope", "detached note", "by workload note");
    }

    @Test
    void onAStoreOfItsOwnNoCallIsDetachedSinceTheTraceIsInMemory() {
        try (ToolRuntime runtime = runtime(new OfferingStore(new MemoryStore(), false, (byWorkload, timing) -> call -> {
            seen.add(call.toolName() + " " + call.detach().isPresent());
            return byWorkload.execute(call);
        }))) {
            answers(runtime);
            assertThat(traced(runtime, "s")).hasSize(5);
        }
        assertThat(seen).containsExactly("note false", "shout false", "note false", "nope false", "note false", "note false");
    }
}
