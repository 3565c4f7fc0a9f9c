package dev.spindle.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code task check} on every example task (whatever the folder holds) and on broken tasks. */
class TaskCheckTest extends RuntimeTest {
    @Test
    void everyExampleTaskIsSolvableAndPaysNothingForDoingNothing() {
        TaskCatalog examples = TaskCatalog.load(Tasks.EXAMPLES);
        assertThat(examples.tasks()).extracting(Task::id).contains("fix-median", "refund-duplicate");
        for (Task task : examples.tasks()) {
            TaskCheck check = env.check(task);
            assertThat(check.problems()).as(task.id()).isEmpty();
            assertThat(check.solved().reward()).isEqualTo(1.0);
            assertThat(check.idle().reward()).isZero();
        }
        assertThat(runtime.sessionCount()).as("check closes its sessions").isZero();
    }

    @Test
    void aTaskThatPaysForNothingIsBroken() {
        Task task = Tasks.task(dir, """
                id: lazy
                instruction: Do not touch a.txt
                seed: {files: {a.txt: x}}
                verifier:
                  - exists: a.txt
                """);
        TaskCheck check = env.check(task);
        assertThat(check.passed()).isFalse();
        assertThat(check.problems()).containsExactly("doing nothing scores 1.0, not 0: the verifier pays for no work");
    }

    /** code_timeout_ms: the reference solution's and the agent's calls to a tool taking timeout_ms get it when they give none. */
    @Test
    void aTasksCodeTimeoutIsTheTimeoutOfEachCallThatTakesOneAndGivesNone() {
        Task task = Tasks.task(dir, """
                id: timed
                instruction: Run it, then write a.txt
                code_timeout_ms: 1234
                seed:
                  mock:
                    tools: [[{name: run_it, inputSchema: {type: object, properties: {code: {type: string}, timeout_ms: {type: integer}}}}]]
                    data: [{mockResponses: {run_it: {defaultResponse: {timeout: '{{timeout_ms}}'}}}}]
                solution:
                  - {tool: run_it, args: {code: x}}
                  - {tool: write_file, component: vfs, args: {file_path: a.txt, content: x}}
                verifier:
                  - called: run_it
                    args: {timeout_ms: 1234}
                  - exists: a.txt
                """);
        assertThat(env.check(task).problems()).as("the reference solution's call had the task's timeout").isEmpty();
        String session = env.open(task, null, null).sessionId();
        assertThat(env.call(task, session, "run_it", Json.parse("{\"code\":\"y\"}")).result()).isEqualTo("{\"timeout\":1234}");
        assertThat(env.call(task, session, "run_it", null).result()).isEqualTo("{\"timeout\":1234}");
        assertThat(env.call(task, session, "run_it", Json.parse("{\"timeout_ms\":50}")).result()).as("the call's own wins").isEqualTo("{\"timeout\":50}");
        env.call(task, session, "write_file", Json.parse("{\"file_path\":\"b.txt\",\"content\":\"x\"}"));
        assertThat(runtime.trace(session).getLast().args().has("timeout_ms")).as("write_file takes none").isFalse();
    }

    @Test
    void aToolsListNamingNothingHereIsBroken() {
        Task task = Tasks.task(dir, """
                id: typo
                instruction: Write a.txt
                tools: [write_file, raed_file, vfs, nosuch]
                verifier:
                  - exists: a.txt
                solution:
                  - {tool: write_file, args: {file_path: a.txt, content: x}}
                """);
        assertThat(env.check(task).problems()).containsExactly("tools names what this runtime does not have: raed_file, nosuch");
    }

    @Test
    void aMockSchemaTheMockRefusesStopsPrepare() {
        Task task = Tasks.task(dir, """
                id: bad-schema
                instruction: x
                seed:
                  mock:
                    tools: [[{name: broken, inputSchema: {type: object, properties: {a: {$ref: "#/nowhere"}}}}]]
                verifier:
                  - exists: a.txt
                """);
        assertThatThrownBy(() -> env.prepare(TaskCatalog.of(List.of(task)))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("t.task.yaml: seed.mock.tools was refused by the mock");
    }

    @Test
    void aSolutionThatFailsOrFallsShortIsBroken() {
        Task task = Tasks.task(dir, """
                id: short
                instruction: Write both
                verifier:
                  - exists: a.txt
                  - exists: b.txt
                solution:
                  - {tool: write_file, args: {file_path: a.txt, content: x}}
                  - {tool: read_file, args: {file_path: missing.txt}}
                """);
        TaskCheck check = env.check(task);
        assertThat(check.problems()).containsExactly(
                "the reference solution fails: step 2 (read_file) failed with FileNotFound: File not found: missing.txt",
                "the reference solution scores 0.5, not 1");
    }
}
