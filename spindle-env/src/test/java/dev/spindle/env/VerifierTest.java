package dev.spindle.env;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.vfs.VfsComponent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every assertion kind passing and failing, on real sessions of a runtime with the VFS and the mock. */
class VerifierTest extends RuntimeTest {
    static final String SEED = """
            id: kinds
            instruction: Anything
            seed:
              files:
                keep.txt: keep me
                config.json: '{"name": "app", "deps": [{"id": "a", "v": 1}]}'
                notes.md: "line one\\nline two\\n"
              mock:
                tools: [[{name: refund, inputSchema: {type: object, properties: {id: {type: string}, amount: {type: integer}}}},
                         {name: wipe, inputSchema: {type: object, properties: {id: {type: string}}, required: [id]}}]]
                data: [{mockResponses: {refund: {defaultResponse: {ok: true}}, wipe: {defaultResponse: done}}}]
            solution:
              - {tool: write_file, args: {file_path: out.txt, content: done}}
            verifier:
            """;

    private Task task(String assertions) {
        return Tasks.task(dir, SEED + assertions);
    }

    private Verdict.Check only(Task task, String session) {
        return env.verify(task, session, null).checks().getFirst();
    }

    private String open(Task task) {
        return env.open(task, 7L, null).sessionId();
    }

    private ToolResult call(Task task, String session, String tool, String args) {
        return env.call(task, session, tool, Json.parse(args));
    }

    @Test
    void existsAndAbsent() {
        Task task = task("  - exists: out.txt\n  - absent: keep.txt\n");
        String s = open(task);
        Verdict before = env.verify(task, s, null);
        assertThat(before.checks()).extracting(Verdict.Check::passed).containsExactly(false, false);
        assertThat(before.checks().getFirst().message()).isEqualTo("out.txt does not exist");
        assertThat(before.reward()).isZero();
        call(task, s, "write_file", "{\"file_path\":\"/out.txt\",\"content\":\"x\"}");
        call(task, s, "delete_file", "{\"file_path\":\"keep.txt\"}");
        Verdict after = env.verify(task, s, null);
        assertThat(after.checks()).allMatch(Verdict.Check::passed);
        assertThat(after.reward()).isEqualTo(1.0);
        assertThat(after.solved()).isTrue();
    }

    @Test
    void equalsComparesTheWholeFileAndSaysWhereItDiffers() {
        Task task = task("  - equals: notes.md\n    text: \"line one\\nline 2\\n\"\n");
        String s = open(task);
        Verdict.Check check = only(task, s);
        assertThat(check.passed()).isFalse();
        assertThat(check.message()).isEqualTo("notes.md differs from line 2");
        assertThat(check.actual().asString()).isEqualTo("line one\nline two\n");
        call(task, s, "edit_file", "{\"file_path\":\"notes.md\",\"old_string\":\"line two\",\"new_string\":\"line 2\"}");
        assertThat(only(task, s).passed()).isTrue();
        call(task, s, "delete_file", "{\"file_path\":\"notes.md\"}");
        assertThat(only(task, s).message()).isEqualTo("notes.md does not exist");
    }

    @Test
    void containsLooksForASnippet() {
        Task task = task("  - contains: notes.md\n    text: two\n  - contains: missing.md\n    text: two\n");
        String s = open(task);
        assertThat(env.verify(task, s, null).checks()).extracting(Verdict.Check::passed).containsExactly(true, false);
        call(task, s, "write_file", "{\"file_path\":\"notes.md\",\"content\":\"three\"}");
        Verdict.Check check = only(task, s);
        assertThat(check.passed()).isFalse();
        assertThat(check.message()).contains("does not contain");
    }

    @Test
    void unchangedMeansAsSeededAndGatesTheReward() {
        Task task = task("  - exists: keep.txt\n  - unchanged: keep.txt\n  - unchanged: new.txt\n");
        String s = open(task);
        Verdict fresh = env.verify(task, s, null);
        assertThat(fresh.checks()).allMatch(Verdict.Check::passed);
        assertThat(fresh.checks().get(1).gate()).isTrue();
        assertThat(fresh.checks().get(1).weight()).isZero();
        call(task, s, "write_file", "{\"file_path\":\"keep.txt\",\"content\":\"changed\"}");
        call(task, s, "write_file", "{\"file_path\":\"new.txt\",\"content\":\"x\"}");
        Verdict after = env.verify(task, s, null);
        assertThat(after.checks()).extracting(Verdict.Check::message).containsExactly(null, "keep.txt was modified", "new.txt was created");
        assertThat(after.reward()).as("a failed gate zeroes the reward though exists passed").isZero();
        call(task, s, "delete_file", "{\"file_path\":\"keep.txt\"}");
        assertThat(env.verify(task, s, null).checks().get(1).message()).isEqualTo("keep.txt was deleted");
    }

    @Test
    void jsonPathComparesTheValueAtAPointerNumbersByValue() {
        Task task = task("""
                  - {json_path: config.json, pointer: /deps/0/v, value: 1.0}
                  - {json_path: config.json, pointer: /deps/0, value: {id: a, v: 1}}
                  - {json_path: config.json, pointer: /name, value: web}
                  - {json_path: config.json, pointer: /nope, value: 1}
                  - {json_path: notes.md, pointer: /a, value: 1}
                """);
        String s = open(task);
        Verdict verdict = env.verify(task, s, null);
        assertThat(verdict.checks()).extracting(Verdict.Check::passed).containsExactly(true, true, false, false, false);
        assertThat(verdict.checks().get(2).actual().asString()).isEqualTo("app");
        assertThat(verdict.checks().get(3).message()).isEqualTo("config.json has no value at /nope");
        assertThat(verdict.checks().get(4).message()).startsWith("notes.md is not JSON");
        assertThat(verdict.reward()).isEqualTo(0.4);
    }

    @Test
    void calledMatchesASubsetOfTheArgumentsOfSuccessfulCalls() {
        Task task = task("  - called: refund\n    args: {id: A1}\n  - called: refund\n    times: 2\n");
        String s = open(task);
        assertThat(env.verify(task, s, null).checks()).noneMatch(Verdict.Check::passed);
        call(task, s, "refund", "{\"id\":\"A2\",\"amount\":5}");
        assertThat(env.verify(task, s, null).checks()).extracting(Verdict.Check::passed).containsExactly(false, false);
        call(task, s, "refund", "{\"id\":\"A1\",\"amount\":5}");
        Verdict verdict = env.verify(task, s, null);
        assertThat(verdict.checks()).allMatch(Verdict.Check::passed);
        assertThat(verdict.checks().getFirst().actual().asString()).isEqualTo("1 call(s)");
        Task byComponent = task("  - {called: refund, component: mock}\n  - {called: refund, component: vfs}\n");
        assertThat(env.verify(byComponent, s, null).checks()).extracting(Verdict.Check::passed).containsExactly(true, false);
        assertThat(call(task, s, "wipe", "{}").success()).as("refused: id is required").isFalse();
        Task wiped = Tasks.task(dir, SEED + "  - called: wipe\n");
        assertThat(env.verify(wiped, s, null).checks().getFirst().passed()).as("a refused call is not a call that happened").isFalse();
    }

    @Test
    void atMostCountsSuccessfulCallsAndNeverCalledCountsEveryAttempt() {
        Task task = task("  - exists: keep.txt\n  - at_most: refund\n    times: 1\n  - never_called: wipe\n    args: {id: prod}\n");
        String s = open(task);
        assertThat(env.verify(task, s, null).reward()).isEqualTo(1.0);
        call(task, s, "refund", "{\"id\":\"A1\"}");
        call(task, s, "refund", "{\"amount\":\"not a number\"}"); // refused: does not count
        call(task, s, "wipe", "{\"id\":\"staging\"}");
        assertThat(env.verify(task, s, null).reward()).isEqualTo(1.0);
        call(task, s, "refund", "{\"id\":\"A2\"}");
        Verdict twice = env.verify(task, s, null);
        assertThat(twice.checks().get(1).message()).isEqualTo("refund was called 2 times");
        assertThat(twice.reward()).isZero();
    }

    @Test
    void aMinefieldIsHitEvenByACallThatFailed() {
        Task task = task("  - exists: keep.txt\n  - never_called: wipe\n");
        String s = open(task);
        assertThat(call(task, s, "wipe", "{}").success()).isFalse();
        Verdict verdict = env.verify(task, s, null);
        assertThat(verdict.checks().get(1).passed()).isFalse();
        assertThat(verdict.reward()).isZero();
    }

    @Test
    void weightsShareTheRewardAndGatesMayBeTurnedOff() {
        Task task = task("""
                  - {exists: keep.txt, weight: 3}
                  - {exists: out.txt}
                  - {never_called: read_file, gate: false, weight: 4}
                """);
        String s = open(task);
        assertThat(env.verify(task, s, null).reward()).isEqualTo(7.0 / 8);
        call(task, s, "read_file", "{\"file_path\":\"keep.txt\"}");
        Verdict verdict = env.verify(task, s, null);
        assertThat(verdict.reward()).isEqualTo(3.0 / 8);
        assertThat(verdict.toJson().path("checks").get(2).path("gate").asBoolean()).isFalse();
        assertThat(verdict.toJson().path("reward").asDouble()).isEqualTo(0.375);
    }

    @Test
    void stateHashComparesWithTheReferenceSolutionsState() {
        Task task = task("  - state_hash: reference\n");
        String s = open(task);
        Verdict.Check idle = only(task, s);
        assertThat(idle.passed()).isFalse();
        assertThat(idle.expected().asString()).hasSize(64).isNotEqualTo(idle.actual().asString());
        call(task, s, "write_file", "{\"file_path\":\"out.txt\",\"content\":\"done\"}");
        Verdict.Check solved = only(task, s);
        assertThat(solved.passed()).isTrue();
        assertThat(solved.actual().asString()).isEqualTo(runtime.stateDigest(s));
        call(task, s, "write_file", "{\"file_path\":\"extra.txt\",\"content\":\"\"}");
        assertThat(only(task, s).passed()).as("any other difference fails it").isFalse();
        assertThat(runtime.sessionCount()).as("reference sessions are closed").isEqualTo(1);
    }

    @Test
    void aLiteralStateHashAndAReferenceThatFails() {
        String s0 = open(task("  - exists: x\n"));
        String digest = runtime.stateDigest(s0);
        assertThat(only(task("  - state_hash: " + digest + "\n"), s0).passed()).isTrue();
        Task broken = Tasks.task(dir, SEED.replace("write_file, args: {file_path: out.txt", "write_file, args: {file_path: /etc/out.txt") + "  - state_hash: reference\n");
        Verdict.Check check = only(broken, open(broken));
        assertThat(check.passed()).isFalse();
        assertThat(check.message()).startsWith("the reference solution did not run: step 1 (write_file) failed with PermissionDenied");
    }

    @Test
    void theSameTaskAndSeedOpenIdenticalStatesAndReadsNothingOfOtherSessions() {
        Task task = task("  - exists: keep.txt\n");
        String a = env.open(task, 1L, "a").sessionId();
        String b = env.open(task, 1L, "b").sessionId();
        assertThat(runtime.stateDigest(a)).isEqualTo(runtime.stateDigest(b));
        call(task, a, "write_file", "{\"file_path\":\"keep.txt\",\"content\":\"changed\"}");
        assertThat(runtime.stateDigest(a)).isNotEqualTo(runtime.stateDigest(b));
        assertThat(env.verify(task, b, 1L).reward()).isEqualTo(1.0);
        assertThat(env.verify(task, a, 1L).checks().getFirst().passed()).isTrue();
    }

    @Test
    void aTraceThatDroppedCallsCannotProveAMinefieldWasAvoided() {
        ToolRuntime small = ToolRuntime.builder().withComponent(new VfsComponent()).withTraceLimit(2).build();
        try {
            TaskEnvironment smallEnv = new TaskEnvironment(small);
            Task task = Tasks.task(dir, "id: t\ninstruction: x\nverifier:\n  - exists: a\n  - never_called: delete_file\n");
            String s = smallEnv.open(task, null, null).sessionId();
            for (int i = 0; i < 3; i++) {
                smallEnv.call(task, s, "list_files", Json.object());
            }
            Verdict.Check check = smallEnv.verify(task, s, null).checks().get(1);
            assertThat(check.passed()).isFalse();
            assertThat(check.message()).contains("dropped 1 older calls");
        } finally {
            small.close();
        }
    }

    @Test
    void aToolOfferedUnderItsPrefixedNameCanBeListedCalledAndChecked() {
        // the mock's read_file is offered as mock__read_file: the VFS, registered first, has the name
        Task task = Tasks.task(dir, SEED.replace("{name: wipe,", "{name: read_file,").replace("wipe: {defaultResponse: done}", "read_file: {defaultResponse: mocked}")
                .replace("solution:", "tools: [mock__read_file]\nsolution:") + "  - {called: read_file, component: mock}\n");
        String s = open(task);
        assertThat(env.tools(task)).extracting(t -> t.name()).containsExactly("mock__read_file");
        assertThat(call(task, s, "mock__read_file", "{\"id\":\"x\"}").result()).isEqualTo("mocked");
        assertThat(call(task, s, "read_file", "{\"file_path\":\"keep.txt\"}").result()).isEqualTo("Unknown tool: read_file. Available tools: mock__read_file");
        assertThat(env.verify(task, s, null).reward()).isEqualTo(1.0);
        assertThat(env.check(task).unknownTools()).isEmpty();
    }

    @Test
    void aToolTheTaskDoesNotAllowIsNotRunNorListed() {
        Task task = Tasks.task(dir, SEED.replace("solution:", "tools: [read_file, mock]\nsolution:") + "  - exists: keep.txt\n");
        String s = open(task);
        assertThat(env.tools(task)).extracting(t -> t.name()).contains("read_file", "refund", "wipe").doesNotContain("write_file", "delete_file");
        ToolResult refused = call(task, s, "delete_file", "{\"file_path\":\"keep.txt\"}");
        assertThat(refused.success()).isFalse();
        assertThat(refused.result()).isEqualTo("Unknown tool: delete_file. Available tools: read_file, refund, wipe");
        assertThat(runtime.exportFiles(s)).containsKey("keep.txt");
        assertThat(call(task, s, "refund", "{\"id\":\"x\"}").success()).isTrue();
        assertThat(runtime.trace(s)).extracting(e -> e.tool()).containsExactly("refund");
    }

    @Test
    void aClearedMockCatalogueIsLoadedAgainForTheNextSession() {
        Task task = task("  - exists: keep.txt\n");
        open(task);
        runtime.operate("mock", "clear", Json.object());
        String s = open(task);
        assertThat(call(task, s, "refund", "{\"id\":\"x\"}").value().path("ok").asBoolean()).isTrue();
    }

    @Test
    void mockResponsesArePerSessionAndSchemasLoadOnce() {
        Task task = task("  - exists: keep.txt\n");
        String s = open(task);
        assertThat(call(task, s, "refund", "{\"id\":\"x\"}").value().path("ok").asBoolean()).isTrue();
        String bare = runtime.openSession(SessionSpec.seeded(Map.of())).sessionId();
        assertThat(runtime.execute(new ToolCall(bare, "mock", "refund", Json.parse("{\"id\":\"x\"}"))).value().path("ok").isMissingNode())
                .as("another session does not see the task's responses").isTrue();
    }
}
