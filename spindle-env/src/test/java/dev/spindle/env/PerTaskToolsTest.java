package dev.spindle.env;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.ToolDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two tasks that define one mock tool differently: each task's sessions see their own definition and
 * answers under the declared name, its verifier and reference solution too, and no other task sees either.
 */
class PerTaskToolsTest extends RuntimeTest {
    private static String task(String id, String description, String answer) {
        return """
                id: %s
                instruction: Look up the order and write what it says to answer.txt
                tools: [lookup, write_file]
                seed:
                  mock:
                    tools: [[{name: lookup, description: '%s', inputSchema: {type: object, properties: {id: {type: string}}}}]]
                    data: [{mockResponses: {lookup: {defaultResponse: '%s'}}}]
                solution:
                  - {tool: lookup, args: {id: o1}}
                  - {tool: lookup, component: mock, args: {id: o2}}
                  - {tool: write_file, args: {file_path: answer.txt, content: '%s'}}
                verifier:
                  - called: lookup
                    args: {id: o1}
                  - contains: answer.txt
                    text: '%s'
                """.formatted(id, description, answer, answer, answer);
    }

    @Test
    void eachTaskSeesItsOwnDefinitionOfATool() {
        Tasks.write(dir, "a.task.yaml", task("shop-a", "Orders of shop A", "shipped"));
        Tasks.write(dir, "b.task.yaml", task("shop-b", "Orders of shop B", "cancelled"));
        Tasks.write(dir, "c.task.yaml", """
                id: open
                instruction: Write done.txt
                verifier:
                  - exists: done.txt
                """);
        TaskCatalog catalog = TaskCatalog.load(dir);
        env.prepare(catalog);
        Task a = catalog.require("shop-a");
        Task b = catalog.require("shop-b");

        assertThat(env.tools(a)).extracting(ToolDefinition::name).containsExactly("write_file", "lookup");
        assertThat(env.tools(a)).filteredOn(t -> t.name().equals("lookup")).singleElement()
                .satisfies(t -> assertThat(t.description()).isEqualTo("Orders of shop A"));
        assertThat(env.tools(b)).filteredOn(t -> t.name().equals("lookup")).singleElement()
                .satisfies(t -> assertThat(t.description()).isEqualTo("Orders of shop B"));
        assertThat(env.tools(catalog.require("open"))).extracting(ToolDefinition::name).doesNotContain("lookup")
                .noneMatch(name -> name.contains("lookup"));

        String inA = env.open(a, 1L, null).sessionId();
        String inB = env.open(b, 1L, null).sessionId();
        assertThat(env.call(a, inA, "lookup", Json.object().put("id", "o1")).result()).isEqualTo("shipped");
        assertThat(env.call(b, inB, "lookup", Json.object().put("id", "o1")).result()).isEqualTo("cancelled");
        assertThat(env.call(catalog.require("open"), inA, "lookup__task_shop-b", Json.object()).success()).as("another task's copy").isFalse();

        for (Task task : List.of(a, b)) {
            TaskCheck check = env.check(task);
            assertThat(check.problems()).as(task.id()).isEmpty();
            assertThat(check.solved().reward()).as(task.id()).isEqualTo(1.0);
        }
        env.call(a, inA, "write_file", Json.object().put("file_path", "answer.txt").put("content", "shipped"));
        Verdict verdict = env.verify(a, inA, 1L);
        assertThat(verdict.solved()).as(verdict.toJson().toString()).isTrue();
        assertThat(verdict.toJson().toString()).doesNotContain("__task_");
    }
}
