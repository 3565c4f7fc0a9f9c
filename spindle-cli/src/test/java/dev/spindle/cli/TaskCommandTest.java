package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.testing.Prerequisite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code spindle task check}: every example passes; a broken task exits 1 with its breakdown; an invalid file exits 2. */
@Timeout(120)
class TaskCommandTest {
    static final Path EXAMPLES = Path.of("../examples/tasks");

    @TempDir
    Path dir;

    private final InProcessCli cli = new InProcessCli();

    @Test
    void everyExampleTaskPasses() throws IOException {
        long examples;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            examples = files.filter(f -> f.getFileName().toString().endsWith(".task.yaml")).count();
        }
        assertThat(cli.run("task", "check", EXAMPLES.toString())).as(cli.out() + "\n" + cli.err()).isZero();
        assertThat(cli.out()).contains("fix-median: ok", "refund-duplicate: ok", examples + " of " + examples + " tasks pass")
                .contains("  reference solution: reward 1.00", "  doing nothing: reward 0.00")
                .contains("    pass median averages the two middle values (contains, weight 3)")
                .contains("    FAIL median averages the two middle values (contains, weight 3): src/stats.py does not contain the text");
    }

    /** examples/shell-tasks: a Python project fixed through bash and edit_file, graded by running its tests. */
    @Test
    void theShellExampleIsGradedByItsOwnTests() {
        Prerequisite.require(Files.isExecutable(Path.of("/usr/bin/bwrap")) && Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/pytest")),
                "SPINDLE_REQUIRE_SANDBOX", "bubblewrap and python3-pytest are not installed");
        assertThat(cli.run("task", "check", "../examples/shell-tasks")).as(cli.out() + "\n" + cli.err()).isZero();
        assertThat(cli.out()).contains("fix-discount: ok", "1 of 1 tasks pass", "  reference solution: reward 1.00", "  doing nothing: reward 0.00")
                .contains("    pass the test suite passes (command, weight 3)")
                .contains("    FAIL the test suite passes (command, weight 3): 2 of 5 tests did not pass; it printed: ");
    }

    @Test
    void aBrokenTaskExits1WithWhatIsWrong() throws IOException {
        Path task = Files.writeString(dir.resolve("lazy.task.yaml"), """
                id: lazy
                instruction: Keep a.txt
                seed: {files: {a.txt: x}}
                verifier:
                  - exists: a.txt
                """);
        assertThat(cli.run("task", "check", task.toString(), EXAMPLES.resolve("fix-median.task.yaml").toString())).isEqualTo(1);
        assertThat(cli.out()).contains("lazy: BROKEN", "  - doing nothing scores 1.0, not 0", "fix-median: ok", "1 of 2 tasks pass");
    }

    /** The default code timeout: --code-timeout, unless the task's code_timeout_ms says otherwise. */
    @Test
    void theCodeTimeoutComesFromTheOptionOrTheTask() throws IOException {
        String task = """
                id: slow
                instruction: Write out.txt the slow way
                verifier:
                  - exists: out.txt
                solution:
                  - tool: run_python
                    args: {code: "import time\\nt = time.time()\\nwhile time.time() - t < 1.5:\\n    pass\\nopen('out.txt', 'w').write('x')"}
                """;
        Path slow = Files.writeString(dir.resolve("slow.task.yaml"), task);
        assertThat(cli.run("task", "check", "--code-timeout", "500ms", slow.toString())).as(cli.out() + cli.err()).isEqualTo(1);
        assertThat(cli.out()).contains("slow: BROKEN", "step 1 (run_python) failed with Timeout: The Python run took longer than 500 ms");
        Files.writeString(slow, task.replace("verifier:", "code_timeout_ms: 20000\nverifier:"));
        assertThat(cli.run("task", "check", "--code-timeout", "500ms", slow.toString())).as(cli.out() + cli.err()).isZero();
        assertThat(cli.run("task", "check", "--code-timeout", "31s", slow.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("--code-timeout must be 1ms to 30s, got 31000ms");
    }

    @Test
    void anInvalidTaskFileIsAUsageError() throws IOException {
        Path task = Files.writeString(dir.resolve("bad.task.yaml"), "id: bad\ninstruction: x\nverifier:\n  - exist: a.txt\n");
        assertThat(cli.run("task", "check", task.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("bad.task.yaml: line 4: verifier[0]: unknown key 'exist'");
        assertThat(cli.run("task", "check", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(cli.err()).contains("is neither a task file nor a folder");
        assertThat(cli.run("serve", "--port", "0", "--store", "memory", "--tasks", task.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("unknown key 'exist'");
        Files.writeString(task, "id: bad\ninstruction: x\nseed: {mock: {tools: [[{name: b, inputSchema: {$ref: '#/nowhere'}}]]}}\nverifier:\n  - exists: a.txt\n");
        assertThat(cli.run("serve", "--port", "0", "--store", "memory", "--tasks", task.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("bad.task.yaml: seed.mock.tools was refused by the mock");
    }
}
