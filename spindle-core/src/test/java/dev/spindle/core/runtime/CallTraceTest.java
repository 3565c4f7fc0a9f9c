package dev.spindle.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.Json;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.TraceSnapshot;
import dev.spindle.core.wire.Wire;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The trace keeps a bounded preview of every call, whatever the shape and size of its arguments and result. */
@Timeout(60)
class CallTraceTest {
    /** Answers its arguments: a structured result as big as the call. */
    static final Tool ECHO = new Tool() {
        @Override
        public ToolDefinition definition() {
            return new ToolDefinition("echo", "Answer the arguments", Json.object().put("type", "object"), null);
        }

        @Override
        public JsonNode call(ToolContext context, ObjectNode args) {
            return args;
        }
    };

    static ToolRuntime runtime(UnaryOperator<ToolRuntime.Builder> options) {
        return options.apply(ToolRuntime.builder().withComponent(new ToolRuntimeTest.TestComponent("echo", List.of(ECHO), Set.of()))).build();
    }

    static ObjectNode nested(String text) {
        ObjectNode args = Json.object();
        args.putObject("x").put("y", text);
        return args;
    }

    /** What the kept calls weigh, as GET /sessions/{id}/trace would send them. */
    static int served(ToolRuntime runtime, String session) {
        return Json.writeBytes(Wire.trace(session, runtime.traceSnapshot(session))).length;
    }

    @Test
    void nestedBigArgumentsAndResultsAreCutInEveryCall() {
        String nineMegabytes = "y".repeat(9 << 20);
        try (ToolRuntime runtime = runtime(b -> b)) {
            for (int i = 0; i < 100; i++) {
                assertThat(runtime.execute(new ToolCall("big", "echo", "echo", nested(nineMegabytes))).success()).isTrue();
            }
            TraceSnapshot trace = runtime.traceSnapshot("big");
            assertThat(trace.calls().size() + trace.dropped()).isEqualTo(100);
            assertThat(trace.calls()).isNotEmpty().allSatisfy(call -> {
                String kept = call.args().path("x").path("y").asString();
                assertThat(kept).startsWith("yyyy").endsWith(" more characters]").hasSizeLessThan(CallTrace.MAX_TEXT + 40);
                assertThat(Json.write(call.args()).length()).isLessThan(CallTrace.MAX_TEXT + 100);
                assertThat(Json.parse(call.result()).path("x").path("y").asString()).endsWith(" more characters]");
                assertThat(call.result().length()).isLessThan(CallTrace.MAX_TEXT + 100);
            });
            // 100 calls of 9 MiB each used to keep 900 MiB; now the whole trace stays under the session budget
            assertThat(served(runtime, "big")).isLessThan((int) (CallTrace.MAX_BYTES + (64 << 10)));
        }
    }

    @Test
    void textThatEscapesOrEncodesLongCountsAsWhatItWeighsInJson() {
        String heavy = "\u0001\"é✓".repeat(1 << 20);
        try (ToolRuntime runtime = runtime(b -> b)) {
            for (int i = 0; i < 100; i++) {
                runtime.execute(new ToolCall("heavy", "echo", "echo", nested(heavy)));
            }
            assertThat(runtime.trace("heavy")).isNotEmpty();
            assertThat(served(runtime, "heavy")).isLessThan((int) (CallTrace.MAX_BYTES + (64 << 10)));
        }
        assertThat(TracePreview.jsonBytes("a\"\n\u00e9\u2713\uD83D\uDE00")).isEqualTo(2 + 1 + 2 + 2 + 2 + 3 + 4);
        assertThat(TracePreview.jsonBytes("\u0001")).isEqualTo(2 + 6);
    }

    @Test
    void wideAndDeepArgumentsAreCutToo() {
        ObjectNode args = Json.object();
        ArrayNode wide = args.putArray("items");
        for (int i = 0; i < 200_000; i++) {
            wide.add(i);
        }
        ObjectNode deep = args.putObject("d");
        for (int i = 0; i < 100; i++) {
            deep = deep.putObject("d");
        }
        ObjectNode many = args.putObject("fields");
        for (int i = 0; i < 50_000; i++) {
            many.put("field" + i, i);
        }
        try (ToolRuntime runtime = runtime(b -> b)) {
            runtime.execute(new ToolCall("wide", "echo", "echo", args));
            TraceEntry call = runtime.trace("wide").getFirst();
            JsonNode items = call.args().path("items");
            assertThat(items.get(0).asInt()).isZero();
            assertThat(items.get(items.size() - 1).asString()).matches("\\.\\.\\. \\[\\d+ more items]");
            JsonNode d = call.args().path("d");
            for (int depth = 1; d.isObject(); depth++) {
                d = d.path("d");
                assertThat(depth).isLessThanOrEqualTo(TracePreview.MAX_DEPTH);
            }
            assertThat(Json.write(call.args()).length()).isLessThan(CallTrace.MAX_TEXT + 200);
        }
    }

    @Test
    void manySmallCallsAreAllKeptUpToTheLimitAndTheDroppedAreCounted() {
        try (ToolRuntime runtime = runtime(b -> b.withTraceLimit(50))) {
            for (int i = 0; i < 80; i++) {
                runtime.execute(new ToolCall("s", "echo", "echo", Json.object().put("n", i)));
            }
            TraceSnapshot trace = runtime.traceSnapshot("s");
            assertThat(trace.dropped()).isEqualTo(30);
            assertThat(trace.calls()).extracting(TraceEntry::seq).first().isEqualTo(31L);
            assertThat(trace.calls().getLast().args().path("n").asInt()).isEqualTo(79);
            assertThat(Wire.trace("s", trace).path("dropped").asLong()).isEqualTo(30);
        }
    }

    @Test
    void aTraceLimitOfZeroKeepsNoCallAndCallsStillWork() {
        try (ToolRuntime runtime = runtime(b -> b.withTraceLimit(0))) {
            for (int i = 0; i < 3; i++) {
                var result = runtime.execute(new ToolCall("none", "echo", "echo", Json.object().put("n", i)));
                assertThat(result.success()).isTrue();
                assertThat(result.value().path("n").asInt()).isEqualTo(i);
            }
            assertThat(runtime.traceSnapshot("none")).isEqualTo(new TraceSnapshot(List.of(), 3));
        }
        assertThatThrownBy(() -> ToolRuntime.builder().withTraceLimit(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 (no trace) or more");
    }

    @Test
    void cutTextNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        assertThat(TracePreview.cut("a" + emoji, 2)).isEqualTo("a... [2 more characters]");
        assertThat(TracePreview.cut("abc", 0)).isEqualTo("... [3 more characters]");
    }
}
