package dev.spindle.env;

import dev.spindle.core.runtime.ToolRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the environment tests share: a folder for task files, and a runtime with the VFS and the mock, closed after each test. */
@Timeout(60)
abstract class RuntimeTest {
    @TempDir
    Path dir;

    final ToolRuntime runtime = Tasks.runtime();
    final TaskEnvironment env = new TaskEnvironment(runtime);

    @AfterEach
    void closeRuntime() {
        runtime.close();
    }
}
