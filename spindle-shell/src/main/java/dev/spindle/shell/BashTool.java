package dev.spindle.shell;

import dev.spindle.core.Arguments;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.SpindleException;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import dev.spindle.core.store.KeyValueScope;
import dev.spindle.sandbox.Sandbox;
import dev.spindle.sandbox.Sandboxes;
import dev.spindle.sandbox.Workspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bash {command, timeout_ms?}}: runs {@code command} with bash in the session's workspace and answers
 * {@code {stdout, stderr, exit_code}}. A non-zero exit is a result, not a failure; past its timeout the
 * command and every process it started are stopped ({@code Timeout}) and its changes dropped.
 *
 * <p>The working directory and exported variables persist between the calls of one session, as in a
 * terminal, without a process kept alive: when a command ends, its shell writes {@code cd} and
 * {@code export -p} to the workspace's control directory; that text is kept in the session's state
 * (so it forks and snapshots with it) and sourced before the next command.
 */
final class BashTool implements Tool {
    static final int DEFAULT_TIMEOUT_MS = 30_000;
    private static final int OUTPUT_CAP = 64 * 1024;
    private static final int MAX_SAVED_STATE = 64 * 1024;
    private static final String STATE_KEY = "terminal";

    /**
     * Restores the saved terminal, runs the command in this same shell, and saves the terminal again on the
     * way out, whatever the way ({@code exit n} included). Noninteractive: no profile, no rc file.
     */
    private static final String RUNNER = """
            __spindle_save() {
              local status=$?
              { builtin printf 'builtin cd -- %q 2>/dev/null || builtin cd /workspace\\n' "$PWD"
                builtin export -n PWD OLDPWD SHLVL _ 2>/dev/null; builtin export -p; } > /run/spindle/terminal.out 2>/dev/null
              return $status
            }
            trap __spindle_save EXIT
            if [ -f /run/spindle/terminal.in ]; then builtin . /run/spindle/terminal.in; fi
            builtin . /run/spindle/command
            """;

    private final Sandboxes sandboxes;
    private final Duration maxTimeout;
    private final ToolDefinition definition;

    BashTool(Sandboxes sandboxes, Duration maxTimeout) {
        this.sandboxes = sandboxes;
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
        Sandbox sandbox = sandboxes.require("bash");
        if (sandbox.root().find("bash").isEmpty()) {
            throw new SpindleException(ErrorType.ComponentFailed, "bash cannot run: the sandbox root (" + sandbox.root().describe() + ") has no bash");
        }
        String command = new Arguments(arguments).text("command");
        Duration timeout = Duration.ofMillis(arguments.path("timeout_ms").asLong(defaultTimeoutMs()));
        KeyValueScope state = context.state();
        byte[] saved = state.get(STATE_KEY);
        Workspaces.Result<Outcome> result = sandboxes.inSession(context.sessionId(), context.incarnation(), context.files(), session -> {
            Path control = session.control();
            try {
                Files.writeString(control.resolve("command"), command + "\n");
                if (saved != null) {
                    Files.write(control.resolve("terminal.in"), saved);
                } else {
                    Files.deleteIfExists(control.resolve("terminal.in"));
                }
                Files.deleteIfExists(control.resolve("terminal.out"));
            } catch (IOException e) {
                throw new SpindleException(ErrorType.IOError, "cannot prepare the command: " + e.getMessage());
            }
            Sandbox.Run run = session.run(List.of("/bin/bash", "--noprofile", "--norc", "-c", RUNNER, "bash"), timeout, OUTPUT_CAP);
            if (run.timedOut()) {
                throw new SpindleException(ErrorType.Timeout, "The command ran past its " + timeout.toMillis()
                        + " ms limit and was stopped, with every process it started; its changes to the files were not kept");
            }
            return new Outcome(run, terminal(control));
        });
        Outcome outcome = result.value();
        if (outcome.terminal != null && !java.util.Arrays.equals(outcome.terminal, saved)) {
            state.write(data -> {
                data.put(STATE_KEY, outcome.terminal);
                return null;
            });
        }
        StringBuilder stderr = new StringBuilder(outcome.run.stderr().text());
        if (outcome.run.outOfMemory()) {
            note(stderr, "[killed: the command's processes passed their " + (sandboxes.limits().memoryBytes() >> 20) + " MiB memory limit]");
        }
        for (String note : result.notes()) {
            note(stderr, "[not kept] " + note);
        }
        return Json.object().put("stdout", outcome.run.stdout().text()).put("stderr", stderr.toString()).put("exit_code", outcome.run.exitCode());
    }

    private static void note(StringBuilder stderr, String line) {
        if (!stderr.isEmpty() && stderr.charAt(stderr.length() - 1) != '\n') {
            stderr.append('\n');
        }
        stderr.append(line).append('\n');
    }

    private record Outcome(Sandbox.Run run, byte[] terminal) {}

    /** The terminal the command's shell saved, or null to keep the previous one (it saved none, or too much). */
    private static byte[] terminal(Path control) {
        Path out = control.resolve("terminal.out");
        try {
            if (!Files.isRegularFile(out, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.size(out) > MAX_SAVED_STATE) {
                return null;
            }
            return Files.readAllBytes(out);
        } catch (IOException e) {
            return null;
        }
    }
}
