package dev.spindle.server.openenv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.env.TaskCatalog;
import dev.spindle.mock.MockComponent;
import dev.spindle.server.Offerings;
import dev.spindle.server.ServerConfig;
import dev.spindle.server.SpindleServer;
import dev.spindle.vfs.VfsComponent;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Episodes with a task (task files through spindle-env): its tools, submit and reward, the step budget. */
@Timeout(120)
class OpenEnvTaskTest {
    @AutoClose
    final EnvServer env = EnvServer.start();

    @Test
    void aTaskOffersItsToolsAndSubmitWhichEndsTheEpisodeWithTheVerifiersReward() {
        try (EnvSocket ws = env.socket()) {
            JsonNode started = ws.ask("{\"type\":\"reset\",\"data\":{\"task\":\"write-hello\",\"seed\":3}}").path("data").path("observation");
            assertThat(started.path("task_id").asString()).isEqualTo("write-hello");
            assertThat(started.path("instruction").asString()).isEqualTo("Write hello to hello.txt");
            assertThat(started.path("steps_left").asInt()).isEqualTo(3);
            List<String> names = new ArrayList<>();
            ws.step("{\"type\":\"list_tools\"}").path("observation").path("tools").forEach(t -> names.add(t.path("name").asString()));
            assertThat(names).containsExactly("read_file", "write_file", "submit");
            assertThat(ws.call("list_files", "{}").path("observation").path("error").path("error_type").asString()).isEqualTo("tool_not_found");
            assertThat(ws.call("read_file", "{\"file_path\":\"start.txt\"}").path("observation").path("result").path("data").asString()).isEqualTo("the starting file");
            JsonNode wrote = ws.call("write_file", "{\"file_path\":\"hello.txt\",\"content\":\"hello\"}");
            assertThat(wrote.path("observation").path("steps_left").asInt()).isEqualTo(1);
            assertThat(wrote.path("reward").isNull()).isTrue();
            // step_count is what the budget counts: the two calls that ran, not the listing or the unknown tool
            JsonNode counted = ws.ask("{\"type\":\"state\"}").path("data");
            assertThat(counted.path("step_count").asInt()).isEqualTo(2);
            assertThat(counted.path("steps_left").asInt()).isEqualTo(1);

            JsonNode submitted = ws.call("submit", "{}");
            assertThat(submitted.path("done").asBoolean()).isTrue();
            assertThat(submitted.path("reward").asDouble()).isEqualTo(1.0);
            assertThat(submitted.path("observation").path("breakdown").path("checks").get(0).path("passed").asBoolean()).isTrue();
            assertThat(submitted.path("observation").path("breakdown").path("solved").asBoolean()).isTrue();
            assertThat(submitted.path("observation").path("result").path("data").path("reward").asDouble()).isEqualTo(1.0);

            JsonNode state = ws.ask("{\"type\":\"state\"}").path("data");
            assertThat(state.path("done").asBoolean()).isTrue();
            assertThat(state.path("reward").asDouble()).isEqualTo(1.0);
            assertThat(state.path("task_id").asString()).isEqualTo("write-hello");
            assertThat(state.path("step_count").asInt()).as("submit is not a budgeted step").isEqualTo(2);
            assertThat(state.path("breakdown").path("checks").get(0).path("name").asString()).isEqualTo("hello.txt equals hello");

            JsonNode after = ws.ask("{\"type\":\"step\",\"data\":{\"type\":\"list_tools\"}}");
            assertThat(after.path("data").path("code").asString()).isEqualTo("EXECUTION_ERROR");
            // a new reset starts over
            assertThat(ws.ask("{\"type\":\"reset\",\"data\":{\"task\":\"write-hello\"}}").path("data").path("done").asBoolean()).isFalse();
        }
    }

    @Test
    void theFixMedianExampleIsSolvedByItsReferenceEditAndScoresZeroUntouched() {
        try (EnvSocket ws = env.socket()) {
            JsonNode started = ws.ask("{\"type\":\"reset\",\"data\":{\"task\":\"fix-median\",\"seed\":7}}").path("data").path("observation");
            assertThat(started.path("instruction").asString()).contains("median([1, 2, 3, 4])");
            assertThat(started.path("steps_left").asInt()).isEqualTo(12);
            List<String> names = new ArrayList<>();
            ws.step("{\"type\":\"list_tools\"}").path("observation").path("tools").forEach(t -> names.add(t.path("name").asString()));
            assertThat(names).containsExactlyInAnyOrder("list_files", "read_file", "search_files", "edit_file", "write_file", "submit");
            assertThat(ws.call("read_file", "{\"file_path\":\"src/stats.py\"}").path("observation").path("result").path("data").asString())
                    .contains("return ordered[middle]");
            JsonNode edited = ws.call("edit_file", "{\"file_path\":\"src/stats.py\",\"old_string\":\"    return ordered[middle]\\n\","
                    + "\"new_string\":\"    if len(ordered) % 2 == 0:\\n        return (ordered[middle - 1] + ordered[middle]) / 2\\n    return ordered[middle]\\n\"}");
            assertThat(edited.path("observation").path("error").isNull()).as(edited.toString()).isTrue();
            JsonNode solved = ws.call("submit", "{}");
            assertThat(solved.path("done").asBoolean()).isTrue();
            assertThat(solved.path("reward").asDouble()).isEqualTo(1.0);
            assertThat(solved.path("observation").path("breakdown").path("task").asString()).isEqualTo("fix-median");

            ws.ask("{\"type\":\"reset\",\"data\":{\"task\":\"fix-median\",\"seed\":7}}");
            JsonNode untouched = ws.call("submit", "{}");
            assertThat(untouched.path("reward").asDouble()).isZero();
            assertThat(untouched.path("observation").path("breakdown").path("solved").asBoolean()).isFalse();
        }
    }

    @Test
    void submittingWithoutTheWorkScoresZero() {
        try (EnvSocket ws = env.socket()) {
            ws.ask("{\"type\":\"reset\",\"data\":{\"task\":\"write-hello\"}}");
            JsonNode submitted = ws.call("submit", "{}");
            assertThat(submitted.path("done").asBoolean()).isTrue();
            assertThat(submitted.path("reward").asDouble()).isZero();
            assertThat(submitted.path("observation").path("breakdown").path("checks").get(0).path("passed").asBoolean()).isFalse();
        }
    }

    @Test
    void aCallPastTheStepBudgetEndsTheEpisodeWithRewardZeroButSubmitStaysOpen() {
        try (EnvSocket ws = env.socket()) {
            ws.ask("{\"type\":\"reset\",\"data\":{\"task\":\"write-hello\"}}");
            for (int i = 0; i < 3; i++) {
                assertThat(ws.call("read_file", "{\"file_path\":\"start.txt\"}").path("done").asBoolean()).isFalse();
            }
            JsonNode over = ws.call("write_file", "{\"file_path\":\"hello.txt\",\"content\":\"hello\"}");
            assertThat(over.path("done").asBoolean()).isTrue();
            assertThat(over.path("reward").asDouble()).isZero();
            assertThat(over.path("observation").path("error").path("message").asString()).contains("step budget of 3");
            assertThat(over.path("observation").path("steps_left").asInt()).isZero();
            assertThat(ws.ask("{\"type\":\"state\"}").path("data").path("step_count").asInt()).as("the refused call did not run").isEqualTo(3);

            ws.ask("{\"type\":\"reset\",\"data\":{\"task\":\"write-hello\"}}");
            ws.call("read_file", "{\"file_path\":\"start.txt\"}");
            ws.call("read_file", "{\"file_path\":\"start.txt\"}");
            ws.call("write_file", "{\"file_path\":\"hello.txt\",\"content\":\"hello\"}");
            assertThat(ws.call("submit", "{}").path("reward").asDouble()).as("submit after the last budgeted call").isEqualTo(1.0);
        }
    }

    @Test
    void aTaskToolWhoseNameTheProtocolReservesIsOfferedUnderItsPrefixedName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("reserved.task.yaml"), """
                id: reserved
                instruction: Look at the state
                seed:
                  mock:
                    tools: [[{name: state, inputSchema: {type: object}}]]
                    data: [{mockResponses: {state: {defaultResponse: all quiet}}}]
                tools: [state, read_file]
                verifier:
                  - called: state
                solution:
                  - tool: state
                """);
        ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new VfsComponent()).withComponent(new MockComponent()).build();
        Vertx clients = Vertx.vertx();
        try (SpindleServer server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1).withWorkers(2),
                        Offerings.NONE.withTasks(TaskCatalog.load(dir)));
                EnvSocket ws = EnvSocket.open(clients, server.port())) {
            ws.ask("{\"type\":\"reset\",\"data\":{\"task\":\"reserved\"}}");
            List<String> names = new ArrayList<>();
            ws.step("{\"type\":\"list_tools\"}").path("observation").path("tools").forEach(t -> names.add(t.path("name").asString()));
            assertThat(names).containsExactly("read_file", "mock__state", "submit");
            assertThat(ws.call("mock__state", "{}").path("observation").path("result").path("data").asString()).isEqualTo("all quiet");
            assertThat(ws.call("submit", "{}").path("reward").asDouble()).isEqualTo(1.0);
        } finally {
            clients.close();
            runtime.close();
        }
    }

    /** Two tasks that define one mock tool differently: each task's episodes list and call their own, under the declared name. */
    @Test
    void twoTasksWithClashingMockToolsEachSeeTheirOwnInTheirEpisodes(@TempDir Path dir) throws Exception {
        for (String[] shop : new String[][] {{"shop-a", "Orders of shop A", "shipped"}, {"shop-b", "Orders of shop B", "cancelled"}}) {
            Files.writeString(dir.resolve(shop[0] + ".task.yaml"), """
                    id: %s
                    instruction: Look up order o1
                    seed:
                      mock:
                        tools: [[{name: lookup, description: '%s', inputSchema: {type: object}}]]
                        data: [{mockResponses: {lookup: {defaultResponse: '%s'}}}]
                    tools: [lookup]
                    verifier:
                      - called: lookup
                    solution:
                      - tool: lookup
                    """.formatted(shop[0], shop[1], shop[2]));
        }
        ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new VfsComponent()).withComponent(new MockComponent()).build();
        Vertx clients = Vertx.vertx();
        try (SpindleServer server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1).withWorkers(2),
                        Offerings.NONE.withTasks(TaskCatalog.load(dir)));
                EnvSocket a = EnvSocket.open(clients, server.port());
                EnvSocket b = EnvSocket.open(clients, server.port())) {
            a.ask("{\"type\":\"reset\",\"data\":{\"task\":\"shop-a\"}}");
            b.ask("{\"type\":\"reset\",\"data\":{\"task\":\"shop-b\"}}");
            JsonNode toolsOfA = a.step("{\"type\":\"list_tools\"}").path("observation").path("tools");
            assertThat(toolsOfA.findValuesAsString("name")).containsExactly("lookup", "submit");
            assertThat(toolsOfA.get(0).path("description").asString()).isEqualTo("Orders of shop A");
            assertThat(a.call("lookup", "{}").path("observation").path("result").path("data").asString()).isEqualTo("shipped");
            assertThat(b.call("lookup", "{}").path("observation").path("result").path("data").asString()).isEqualTo("cancelled");
            assertThat(a.call("submit", "{}").path("reward").asDouble()).isEqualTo(1.0);
            assertThat(b.call("submit", "{}").path("reward").asDouble()).isEqualTo(1.0);
        } finally {
            clients.close();
            runtime.close();
        }
    }
}
