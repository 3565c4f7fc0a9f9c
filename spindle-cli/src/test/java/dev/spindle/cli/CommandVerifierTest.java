package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.env.Task;
import dev.spindle.env.TaskCatalog;
import dev.spindle.env.TaskEnvironment;
import dev.spindle.env.Verdict;
import dev.spindle.sandbox.RootFilesystem;
import dev.spindle.testing.Prerequisite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier's {@code command} kind on the real shell: graded by exit code, by pytest's summary and by a
 * JUnit report, run in a copy of the final state that neither the state nor the trace sees, and not fooled
 * by what the agent's terminal left behind.
 */
@Timeout(180)
class CommandVerifierTest {
    private static ToolRuntime runtime;
    private static TaskEnvironment environment;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        runtime = Spindle.runtime(new MemoryStore()).build();
        boolean sandbox = runtime.warnings().get("shell") == null;
        Prerequisite.require(sandbox, "SPINDLE_REQUIRE_SANDBOX", "no sandbox here: " + runtime.warnings().get("shell"));
        Prerequisite.require(RootFilesystem.host().find("python3").isPresent() && Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/pytest")),
                "SPINDLE_REQUIRE_SANDBOX", "python3-pytest is not installed (apt-get install python3-pytest)");
        environment = new TaskEnvironment(runtime);
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private Task task(String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("t.task.yaml"), yaml);
        return TaskCatalog.load(List.of(file)).tasks().getFirst();
    }

    private static final String PROJECT = """
            id: project
            instruction: Make the tests pass
            seed:
              files:
                calc.py: |
                  def add(a, b):
                      return a - b
                  def mul(a, b):
                      return a * b
                test_calc.py: |
                  from calc import add, mul
                  def test_add():
                      assert add(2, 3) == 5
                  def test_add_zero():
                      assert add(0, 0) == 0
                  def test_mul():
                      assert mul(2, 3) == 6
                  def test_mul_zero():
                      assert mul(0, 9) == 0
            tools: [bash, edit_file]
            verifier:
            """;

    private ToolResult bash(String session, String command) {
        return runtime.execute(new ToolCall(session, "shell", "bash", Json.object().put("command", command)));
    }

    @Test
    void pytestScoresTheShareOfTestsThatPassedAndTheCopyLeavesNoTrace() throws IOException {
        Task task = task(PROJECT + "  - command: python3 -m pytest -q -p no:cacheprovider\n    score: pytest\n");
        String session = environment.open(task, 1L, null).sessionId();
        String digest = runtime.stateDigest(session);
        int calls = runtime.trace(session).size();

        Verdict verdict = environment.verify(task, session, 1L);
        Verdict.Check check = verdict.checks().getFirst();
        assertThat(check.score()).isEqualTo(0.75);
        assertThat(verdict.reward()).isEqualTo(0.75);
        assertThat(check.passed()).isFalse();
        assertThat(check.actual().asString()).isEqualTo("1 failed, 3 passed");
        assertThat(check.message()).startsWith("1 of 4 tests did not pass; it printed: ").contains("test_add ").doesNotContainPattern("in \\d");
        assertThat(runtime.stateDigest(session)).as("the command ran in a copy").isEqualTo(digest);
        assertThat(runtime.trace(session)).hasSize(calls);
        assertThat(verdict.toJson().path("checks").get(0).path("score").asDouble()).isEqualTo(0.75);

        runtime.execute(new ToolCall(session, null, "edit_file", Json.object().put("file_path", "calc.py").put("old_string", "a - b").put("new_string", "a + b")));
        Verdict fixed = environment.verify(task, session, 1L);
        assertThat(fixed.reward()).isEqualTo(1.0);
        assertThat(fixed.checks().getFirst().actual().asString()).isEqualTo("4 passed");
        runtime.closeSession(session);
    }

    @Test
    void whatTheAgentsTerminalLeftDoesNotChangeHowItIsGraded() throws IOException {
        Task task = task(PROJECT + "  - command: python3 -m pytest -q -p no:cacheprovider\n    score: pytest\n");
        String session = environment.open(task, 1L, null).sessionId();
        assertThat(bash(session, "mkdir -p sub && cd sub && export PYTEST_ADDOPTS='-k mul' PYTHONPATH=/nowhere").success()).isTrue();
        assertThat(Json.parse(bash(session, "pwd; echo $PYTEST_ADDOPTS").result()).path("stdout").asString()).isEqualTo("/workspace/sub\n-k mul\n");

        Verdict.Check check = environment.verify(task, session, 1L).checks().getFirst();
        assertThat(check.actual().asString()).as("every test ran, from /workspace").isEqualTo("1 failed, 3 passed");
        assertThat(Json.parse(bash(session, "pwd").result()).path("stdout").asString()).as("the agent's terminal is as it left it").isEqualTo("/workspace/sub\n");
        runtime.closeSession(session);
    }

    @Test
    void anExitCodeAndAJUnitReportGradeTooAndAHostileReportIsRefused() throws IOException {
        Task task = task(PROJECT + """
                  - name: the module imports
                    command: python3 -c 'import calc'
                  - name: exits 3
                    command: exit 3
                    exit_code: 3
                  - name: the report
                    command: python3 -m pytest -q -p no:cacheprovider --junitxml=out/report.xml
                    score: junit
                    report: out/report.xml
                  - name: an entity bomb
                    command: printf '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><testsuite><testcase name="x">&b;</testcase></testsuite>' > r.xml
                    score: junit
                    report: r.xml
                  - name: no report
                    command: "true"
                    score: junit
                    report: none.xml
                """);
        String session = environment.open(task, 1L, null).sessionId();
        Map<String, Verdict.Check> checks = byName(environment.verify(task, session, 1L));
        assertThat(checks.get("the module imports").passed()).isTrue();
        assertThat(checks.get("exits 3").passed()).isTrue();
        assertThat(checks.get("the report").score()).isEqualTo(0.75);
        assertThat(checks.get("the report").actual().asString()).isEqualTo("3 of 4 test cases passed");
        assertThat(checks.get("an entity bomb").score()).isZero();
        assertThat(checks.get("an entity bomb").message()).startsWith("r.xml is not a JUnit XML report").contains("DOCTYPE");
        assertThat(checks.get("no report").message()).startsWith("the command wrote no none.xml");
        assertThat(runtime.exportFiles(session)).doesNotContainKeys("out/report.xml", "r.xml");
        runtime.closeSession(session);
    }

    @Test
    void aCommandPastItsTimeoutFailsWithTheReason() throws IOException {
        Task task = task(PROJECT + "  - command: sleep 5\n    timeout_ms: 300\n");
        String session = environment.open(task, 1L, null).sessionId();
        Verdict.Check check = environment.verify(task, session, 1L).checks().getFirst();
        assertThat(check.passed()).isFalse();
        assertThat(check.message()).startsWith("the command did not run to its end: Timeout");
        runtime.closeSession(session);
    }

    private static Map<String, Verdict.Check> byName(Verdict verdict) {
        return verdict.checks().stream().collect(java.util.stream.Collectors.toMap(Verdict.Check::name, c -> c));
    }
}
