package dev.spindle.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Capability;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.ToolResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/** A session is never removed under a running call, so a call's writes never outlive their session in the store. */
@Timeout(120)
class SessionRaceTest {
    /** Writes a few files with pauses between them, as a real tool's several store writes would. */
    static final Tool SCRIBBLE = new Tool() {
        @Override
        public ToolDefinition definition() {
            return new ToolDefinition("scribble", "Write files slowly", Schema.object().optional("pause_ms", Json.object().put("type", "integer")).build(), null);
        }

        @Override
        public JsonNode call(ToolContext context, ObjectNode args) {
            for (int i = 0; i < 3; i++) {
                sleep(args.path("pause_ms").asInt(0));
                context.files().write(context.files().file("f" + i), "v".getBytes(StandardCharsets.UTF_8));
            }
            return StringNode.valueOf("done");
        }
    };

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ToolRuntime runtime(UnaryOperator<ToolRuntime.Builder> options) {
        return options.apply(ToolRuntime.builder()
                .withComponent(new ToolRuntimeTest.TestComponent("pen", List.of(SCRIBBLE), Set.of(Capability.SESSION_FILES)))).build();
    }

    static ToolCall scribble(String session, int pauseMillis) {
        return new ToolCall(session, "pen", "scribble", Json.object().put("pause_ms", pauseMillis));
    }

    /** Store partitions that no live session owns (the global partition aside). */
    static List<String> orphans(ToolRuntime runtime) {
        return runtime.store().sessions().stream().filter(id -> !id.startsWith("\u0000") && !runtime.hasSession(id)).toList();
    }

    @Test
    void closeRacingACallLeavesNoOrphanedKeys() throws InterruptedException {
        try (ToolRuntime runtime = runtime(b -> b)) {
            for (int round = 0; round < 300; round++) {
                String session = "race-" + round;
                runtime.execute(scribble(session, 0)); // the session exists before the race
                CountDownLatch go = new CountDownLatch(1);
                AtomicReference<ToolResult> result = new AtomicReference<>();
                int closeAfter = round % 3; // sometimes before, sometimes during, sometimes after the call's writes
                Thread call = Thread.ofPlatform().start(() -> {
                    await(go);
                    result.set(runtime.execute(scribble(session, 1)));
                });
                Thread close = Thread.ofPlatform().start(() -> {
                    await(go);
                    sleep(closeAfter);
                    runtime.closeSession(session);
                });
                go.countDown();
                call.join();
                close.join();
                assertThat(result.get().success()).isTrue();
                assertThat(orphans(runtime)).as("round %d", round).isEmpty();
            }
            runtime.store().sessions().forEach(runtime::closeSession);
            assertThat(runtime.store().sessions()).isEmpty();
        }
    }

    @Test
    void aSessionDoesNotExpireUnderARunningCallAndIsSweptAfterIt() throws InterruptedException {
        try (ToolRuntime runtime = runtime(b -> b.withSessionTtl(Duration.ofMillis(100)).withSweepInterval(Duration.ofMillis(10)))) {
            assertThat(runtime.execute(scribble("slow", 150)).success()).isTrue(); // 450 ms of calls against a 100 ms TTL
            assertThat(runtime.store().sessions()).contains("slow");
            for (int i = 0; i < 100 && !runtime.store().sessions().isEmpty(); i++) {
                Thread.sleep(50);
            }
            assertThat(runtime.store().sessions()).as("expired once idle, with everything it wrote").isEmpty();
            assertThat(runtime.hasSession("slow")).isFalse();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
