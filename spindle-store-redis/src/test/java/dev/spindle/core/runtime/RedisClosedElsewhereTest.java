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
import dev.spindle.store.redis.RedisStore;
import dev.spindle.testing.RedisServer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A session closed through one instance and then called through another: a component that keeps session
 * state in memory still hears of the close before the call runs, so the call starts afresh (only calls of
 * components that keep nothing outside the store leave that check to the trace's append).
 */
@Timeout(60)
class RedisClosedElsewhereTest {
    private RedisServer redis;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        redis.close();
    }

    /** Counts its calls per session in memory and forgets a session when told it closed. */
    static final class Counter implements Component {
        final Map<String, Integer> counts = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "counter";
        }

        @Override
        public String description() {
            return "counts calls per session in memory";
        }

        @Override
        public List<Tool> tools() {
            return List.of(new Tool() {
                @Override
                public ToolDefinition definition() {
                    return new ToolDefinition("count", "Counts this session's calls", Schema.object().build(), null);
                }

                @Override
                public JsonNode call(ToolContext context, ObjectNode arguments) {
                    return IntNode.valueOf(counts.merge(context.sessionId(), 1, Integer::sum));
                }
            });
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public void sessionClosed(String sessionId) {
            counts.remove(sessionId);
        }
    }

    private ToolRuntime instance(Counter counter) {
        return ToolRuntime.builder().withStore(new RedisStore(redis.uri())).withComponent(counter).build();
    }

    private static int count(ToolRuntime via) {
        return via.execute(new ToolCall("s", "counter", "count", Json.object())).value().asInt();
    }

    @Test
    void aComponentKeepingSessionStateStartsAfreshOnAAfterBClosedTheSession() {
        Counter onA = new Counter();
        try (ToolRuntime a = instance(onA); ToolRuntime b = instance(new Counter())) {
            assertThat(count(a)).isEqualTo(1);
            assertThat(count(a)).isEqualTo(2);
            assertThat(b.closeSession("s")).isZero();

            assertThat(count(a)).as("A forgot the session before the call").isEqualTo(1);
            assertThat(a.traceSnapshot("s").calls()).hasSize(1);
            assertThat(b.traceSnapshot("s").calls()).as("the fresh session, seen through B").hasSize(1);
        }
    }
}
