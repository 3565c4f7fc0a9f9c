package dev.spindle.server.openenv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.code.CodeComponent;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.env.TaskCatalog;
import dev.spindle.server.Offerings;
import dev.spindle.server.ServerConfig;
import dev.spindle.server.SpindleServer;
import dev.spindle.vfs.VfsComponent;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A task's code_timeout_ms is the timeout of the agent's code calls that give none; one that gives its own keeps it. */
@Timeout(120)
class TaskCodeTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void anEpisodesCodeCallsGetTheTasksTimeoutUnlessTheyGiveTheirOwn() throws IOException {
        Files.writeString(dir.resolve("loop.task.yaml"), """
                id: loop
                instruction: Run code
                code_timeout_ms: 700
                tools: [run_python]
                verifier:
                  - exists: out.txt
                """);
        Vertx clients = Vertx.vertx();
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(new VfsComponent()).withComponent(new CodeComponent()).build();
                SpindleServer server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(2).withWorkers(4),
                        Offerings.NONE.withTasks(TaskCatalog.load(List.of(dir))));
                EnvSocket ws = EnvSocket.open(clients, server.port())) {
            ws.ask("{\"type\":\"reset\",\"data\":{\"task\":\"loop\"}}");
            String loop = "\"code\":\"while True:\\n    pass\\n\"";
            assertThat(ws.call("run_python", "{" + loop + "}").path("observation").path("error").path("message").asString())
                    .isEqualTo("Timeout: The Python run took longer than 700 ms and was stopped");
            assertThat(ws.call("run_python", "{" + loop + ",\"timeout_ms\":900}").path("observation").path("error").path("message").asString())
                    .isEqualTo("Timeout: The Python run took longer than 900 ms and was stopped");
        } finally {
            clients.close();
        }
    }
}
