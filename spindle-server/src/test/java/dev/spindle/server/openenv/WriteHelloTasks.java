package dev.spindle.server.openenv;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.runtime.ToolRuntime;
import java.util.Map;
import java.util.Set;

/**
 * A task source for the adapter's tests (the real tasks are spindle-env's): task {@code write-hello} seeds
 * {@code seed.txt} with the seed, allows read_file and write_file for 3 calls, and its verifier reads the
 * session's real files: reward 1 when hello.txt holds "hello".
 */
final class WriteHelloTasks implements Tasks {
    private final ToolRuntime runtime;

    WriteHelloTasks(ToolRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public TaskEpisode open(TaskRequest request) {
        if (request.taskId().equals("broken")) {
            throw new SpindleException(ErrorType.IOError, "the task's seed cannot be read");
        }
        if (!request.taskId().equals("write-hello")) {
            throw new SpindleException(ErrorType.InvalidArguments, "Unknown task: " + request.taskId());
        }
        runtime.openSession(new SessionSpec(request.sessionId(), Map.of("seed.txt", Long.toString(request.seed())), null));
        return new TaskEpisode() {
            @Override
            public String instruction() {
                return "Write hello to hello.txt";
            }

            @Override
            public Set<String> allowedTools() {
                return Set.of("read_file", "write_file");
            }

            @Override
            public int stepBudget() {
                return 3;
            }

            @Override
            public Verdict verify() {
                boolean passed = "hello".equals(runtime.exportFiles(request.sessionId()).get("hello.txt"));
                var breakdown = Json.array();
                breakdown.addObject().put("assertion", "hello.txt equals hello").put("passed", passed);
                return new Verdict(passed ? 1.0 : 0.0, breakdown);
            }
        };
    }
}
