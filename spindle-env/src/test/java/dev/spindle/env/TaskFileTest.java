package dev.spindle.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class TaskFileTest {
    @TempDir
    Path dir;

    private static final String MINIMAL = """
            id: t1
            instruction: Create a.txt
            verifier:
              - exists: a.txt
            """;

    private String refused(String yaml) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Tasks.task(dir, yaml));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return thrown.getMessage();
    }

    @Test
    void aMinimalTaskGetsTheDefaults() {
        Task task = Tasks.task(dir, MINIMAL);
        assertThat(task.id()).isEqualTo("t1");
        assertThat(task.maxSteps()).isEqualTo(TaskFile.DEFAULT_MAX_STEPS);
        assertThat(task.tools()).isEmpty();
        assertThat(task.files()).isEmpty();
        assertThat(task.verifier()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("exists a.txt");
            assertThat(g.gate()).isFalse();
            assertThat(g.weight()).isEqualTo(1.0);
        });
    }

    @Test
    void anUnknownKeyIsRefusedWithItsLineAndTheKnownKeys() {
        String message = refused(MINIMAL + "    texts: oops\n");
        assertThat(message).contains("line 5").contains("verifier[0]").contains("unknown key 'texts'").contains("text")
                .doesNotContain("dev.spindle").doesNotContain("RawAssertion");
        assertThat(refused(MINIMAL + "max_step: 3\n")).contains("line 5").contains("unknown key 'max_step'").contains("max_steps");
    }

    @Test
    void malformedYamlAndWrongTypesNameTheLine() {
        assertThat(refused("id: [unclosed\n")).contains("t.task.yaml").contains("line");
        assertThat(refused(MINIMAL + "max_steps: many\n")).contains("line 5").contains("max_steps").doesNotContain("java.lang");
        assertThat(refused("")).contains("is empty");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {json_path: a.json, pointer: /a, value: .inf}"))).contains("line 4: verifier[0].value");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsLine() {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Tasks.task(dir, """
                id: t1
                instruction: Create a.txt
                max_steps: 0
                tools: [read_file, 7]
                verifier:
                  - exists: a.txt
                    text: hi
                  - {called: rm, times: 0}
                solution:
                  - {tool: write_file, args: [1]}
                """));
        assertThat(((ConfigException) thrown).problems()).containsExactly(
                "line 3: max_steps: must be a whole number from 1 to 10000, not 0",
                "line 4: tools[1]: must be a name, not 7",
                "line 7: verifier[0].text: exists does not take text",
                "line 8: verifier[1].times: must be a whole number from 1 to 2147483647, not 0",
                "line 10: solution[0].args: must be a mapping of argument names to values");
    }

    @Test
    void eachAssertionNamesExactlyOneKindAndOnlyItsKeys() {
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {exists: a.txt, absent: b.txt}"))).contains("exactly one kind").contains("exists, absent");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {weight: 2}"))).contains("exactly one kind");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {exists: a.txt, text: hi}"))).contains("verifier[0].text: exists does not take text");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {equals: a.txt}"))).contains("verifier[0].text: is required");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {at_most: rm}"))).contains("verifier[0].times: is required");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {json_path: a.json, pointer: 'no-slash', value: 1}"))).contains("not a JSON Pointer");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {json_path: a.json, pointer: /a}"))).contains(".value: is required");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {state_hash: abc}"))).contains("'reference'");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {called: x, args: [1]}"))).contains(".args: must be a mapping");
    }

    @Test
    void weightsArePositiveAndGatesHaveNone() {
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {exists: a.txt, weight: 0}"))).contains("weight: must be a positive number");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {exists: a.txt, weight: -1}"))).contains("positive");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {never_called: rm, weight: 2}"))).contains("a gate has no weight");
        assertThat(refused(MINIMAL.replace("- exists: a.txt", "- {never_called: rm}"))).contains("every assertion is a gate");
    }

    @Test
    void pathsGoThroughThePathPolicy() {
        for (String hostile : new String[] {"../../etc/passwd", "/etc/passwd", "/", "~/.ssh/id_rsa", "a/../../b"}) {
            assertThat(refused(MINIMAL.replace("exists: a.txt", "exists: '" + hostile + "'"))).as(hostile).contains("verifier[0].exists");
        }
        assertThat(refused(MINIMAL + "seed:\n  files:\n    /proc/self/environ: x\n")).contains("seed.files");
        Task task = Tasks.task(dir, MINIMAL.replace("exists: a.txt", "exists: ./src/../a.txt") + "seed:\n  files:\n    /b.txt: x\n");
        assertThat(((FileAssertion) task.verifier().getFirst().assertion()).path()).isEqualTo("a.txt");
        assertThat(task.files()).containsOnlyKeys("b.txt");
    }

    @Test
    void seedFromReadsAFolderUnderTheTaskFileOnly() throws Exception {
        Tasks.write(dir, "project/src/app.py", "print(1)\n");
        Task task = Tasks.task(dir, MINIMAL + "seed:\n  from: {dir: project}\n  files:\n    README.md: hi\n");
        assertThat(task.files()).containsEntry("src/app.py", "print(1)\n").containsEntry("README.md", "hi");
        Path outside = Files.createTempDirectory("outside");
        assertThat(refused(MINIMAL + "seed:\n  from: {dir: " + outside + "}\n")).contains("seed.from").contains("outside");
        assertThat(refused(MINIMAL + "seed:\n  from: {dir: ../}\n")).contains("seed.from").contains("outside");
        assertThat(refused(MINIMAL + "seed:\n  from: {dir: a, git: b}\n")).contains("line 6: seed.from: give one source, not dir and git");
        assertThat(refused(MINIMAL + "seed:\n  from: {ref: main}\n")).contains("line 6: seed.from.ref: needs git");
        assertThat(refused(MINIMAL + "seed:\n  from: {snapshot: snap-1}\n")).contains("line 6: seed.from.snapshot: a task seeds from its own files");
        assertThat(refused(MINIMAL + "seed:\n  from: {archive: x.tar}\n")).contains("line 6: seed.from: unknown key 'archive'; archive seeds are not supported");
    }

    @Test
    void badIdsAndBudgetsAreRefused() {
        assertThat(refused(MINIMAL.replace("id: t1", "id: 'a/b'"))).contains("id:");
        assertThat(refused(MINIMAL.replace("id: t1", "id: " + "x".repeat(129)))).contains("id:");
        assertThat(refused(MINIMAL.replace("id: t1\n", ""))).contains("id: is required");
        assertThat(refused(MINIMAL + "max_steps: 0\n")).contains("line 5: max_steps: must be a whole number from 1 to 10000, not 0");
        assertThat(refused(MINIMAL + "code_timeout_ms: 0\n")).contains("code_timeout_ms: must be a whole number from 1 to 30000, not 0");
        assertThat(refused(MINIMAL + "code_timeout_ms: 30001\n")).contains("code_timeout_ms: must be a whole number from 1 to 30000");
        assertThat(refused(MINIMAL.replace("instruction: Create a.txt\n", ""))).contains("instruction: is required");
        assertThat(refused(MINIMAL.replace("verifier:\n  - exists: a.txt\n", "verifier: []\n"))).contains("at least one assertion");
    }

    @Test
    void mockDocumentsAreReadRelativeToTheTaskFile() {
        Tasks.write(dir, "mock/tools.yaml", "tools:\n  - name: ping\n    inputSchema: {type: object}\n");
        Task task = Tasks.task(dir, MINIMAL + "seed:\n  mock:\n    tools: [mock/tools.yaml]\n    data: [{mockResponses: {ping: {defaultResponse: pong}}}]\n");
        assertThat(task.mockTools()).singleElement().satisfies(d -> assertThat(d.path("tools").get(0).path("name").asString()).isEqualTo("ping"));
        assertThat(task.mockData()).hasSize(1);
        assertThat(refused(MINIMAL + "seed:\n  mock:\n    tools: [missing.json]\n")).contains("line 7: seed.mock.tools[0]: ").contains("missing.json: cannot be read");
        assertThat(refused(MINIMAL + "seed:\n  mock:\n    data: [[1]]\n")).contains("seed.mock.data");
    }

    @Test
    void aCatalogueRefusesDuplicateIdsAndListsEveryBrokenFileAndGivesClashingMockToolsACopyPerTask() {
        Tasks.write(dir, "a/one.task.yaml", MINIMAL);
        Tasks.write(dir, "b/two.task.yaml", MINIMAL);
        assertThatThrownBy(() -> TaskCatalog.load(dir)).isInstanceOf(ConfigException.class).hasMessageContaining("id 't1' is already the id of");
        Tasks.write(dir, "b/two.task.yaml", MINIMAL.replace("t1", "t2") + "seed:\n  mock:\n    tools: [[{name: ping, description: one}]]\n");
        Tasks.write(dir, "c/three.task.yaml", MINIMAL.replace("t1", "t3") + "seed:\n  mock:\n    tools: [[{name: ping, description: two}]]\n");
        TaskCatalog clashing = TaskCatalog.load(dir);
        assertThat(clashing.require("t2").mockTools().getFirst().get(0).path("name").asString()).isEqualTo("ping__task_t2");
        assertThat(clashing.require("t3").mockTools().getFirst().get(0).path("name").asString()).isEqualTo("ping__task_t3");
        Tasks.write(dir, "c/three.task.yaml", "id: [");
        Tasks.write(dir, "d/four.task.yaml", "id: x\n");
        assertThatThrownBy(() -> TaskCatalog.load(dir)).hasMessageContaining("three.task.yaml").hasMessageContaining("four.task.yaml");
        Tasks.write(dir, "c/three.task.yaml", MINIMAL.replace("t1", "t3"));
        Tasks.write(dir, "d/four.task.yaml", MINIMAL.replace("t1", "t4"));
        Tasks.write(dir, "b/two.task.yaml", MINIMAL.replace("t1", "t2"));
        TaskCatalog catalog = TaskCatalog.load(dir);
        assertThat(catalog.tasks()).extracting(Task::id).containsExactly("t1", "t2", "t3", "t4");
        assertThatThrownBy(() -> catalog.require("nope")).hasMessageContaining("Unknown task 'nope'").hasMessageContaining("t1, t2, t3, t4");
        assertThatThrownBy(() -> TaskCatalog.load(dir.resolve("nothing"))).isInstanceOf(ConfigException.class);
    }
}
