package dev.spindle.shell;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bash {command, timeout_ms?}}: runs {@code command} with bash in the session's workspace and answers
 * {@code {stdout, stderr, exit_code}}. A non-zero exit is a result, not a failure; past its timeout the
 * command and every process it started are stopped ({@code Timeout}) and its changes dropped. The working
 * directory and exported variables persist between the calls of one session, as in a terminal
 * ({@link Terminal}).
 */
final class BashTool implements Tool {
    static final int DEFAULT_TIMEOUT_MS = 30_000;

    private final Terminal terminal;
    private final Duration maxTimeout;
    private final ToolDefinition definition;

    BashTool(Terminal terminal, Duration maxTimeout) {
        this.terminal = terminal;
        this.maxTimeout = maxTimeout;
        ObjectNode timeout = Json.object().put("type", "integer").put("minimum", 1).put("maximum", maxTimeout.toMillis())
                .put("default", defaultTimeoutMs())
                .put("description", "Stop the command, and every process it started, after this many milliseconds");
        this.definition = new ToolDefinition("bash",
                "Run a bash command in the session's sandbox, whose working directory /workspace holds the session's files; "
                        + "the working directory and exported variables persist between calls. No network. "
                        + "Answers {stdout, stderr, exit_code}",
                Schema.object().required("command", Schema.string("The command line to run with bash", 1)).optional("timeout_ms", timeout).build(),
                Schema.hints(false, true, false));
    }

    private long defaultTimeoutMs() {
        return Math.min(DEFAULT_TIMEOUT_MS, maxTimeout.toMillis());
    }

    @Override
    public ToolDefinition definition() {
        return definition;
    }

    /** A command keeps a core busy (tests, builds) for as long as it runs: on the compute pool. */
    @Override
    public Workload workload() {
        return Workload.COMPUTE;
    }

    @Override
    public JsonNode call(ToolContext context, ObjectNode arguments) {
        String command = new Arguments(arguments).text("command");
        Duration timeout = Duration.ofMillis(arguments.path("timeout_ms").asLong(defaultTimeoutMs()));
        Terminal.Outcome outcome = terminal.run(context, command, timeout);
        return Json.object().put("stdout", outcome.stdout()).put("stderr", outcome.stderr()).put("exit_code", outcome.exitCode());
    }
}
