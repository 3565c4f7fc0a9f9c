package dev.spindle.env;

import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.mock.MockComponent;
import dev.spindle.vfs.VfsComponent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: a runtime with the VFS and the mock, and task files written from text. */
final class Tasks {
    static final Path EXAMPLES = Path.of("../examples/tasks");

    private Tasks() {}

    static ToolRuntime runtime() {
        return ToolRuntime.builder().withComponent(new VfsComponent()).withComponent(new MockComponent()).build();
    }

    static Path write(Path dir, String name, String yaml) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Task task(Path dir, String yaml) {
        return TaskFile.read(write(dir, "t.task.yaml", yaml));
    }
}
