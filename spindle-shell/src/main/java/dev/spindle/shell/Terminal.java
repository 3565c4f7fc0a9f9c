package dev.spindle.shell;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolContext;
import dev.spindle.core.store.KeyValueScope;
import dev.spindle.sandbox.Sandbox;
import dev.spindle.sandbox.Sandboxes;
import dev.spindle.sandbox.Workspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A session's terminal without a live process: runs a command line with bash in the session's workspace,
 * the working directory and exported variables carried from the previous command of the same component.
 * When a command ends, its shell writes {@code cd} and {@code export -p} to the workspace's control
 * directory; that text is kept in the calling component's state (so it forks and snapshots with the
 * session) and sourced before the next command. Shared by every tool that runs commands ({@code bash},
 * a profile's {@code Bash}), each of which words the outcome its own way.
 */
public final class Terminal {
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

    public Terminal(Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
    }

    /** What a command did: its output (each capped at 64 KiB), exit code, and notes on what of it was not kept. */
    public record Outcome(String stdout, String stderr, int exitCode) {}

    /**
     * Runs {@code command}; past {@code timeout} the command and every process it started are stopped and the
     * call answers {@code Timeout}, its changes to the files dropped. Where this host makes no sandboxes,
     * {@code ComponentFailed} says why. stderr ends with notes of what the session could not keep.
     */
    public Outcome run(ToolContext context, String command, Duration timeout) {
        Sandbox sandbox = sandboxes.require("bash");
        if (sandbox.root().find("bash").isEmpty()) {
            throw new SpindleException(ErrorType.ComponentFailed, "bash cannot run: the sandbox root (" + sandbox.root().describe() + ") has no bash");
        }
        KeyValueScope state = context.state();
        byte[] saved = state.get(STATE_KEY);
        Workspaces.Result<Ran> result = sandboxes.inSession(context.sessionId(), context.incarnation(), context.files(), session -> {
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
            return new Ran(run, saved(control));
        });
        Ran ran = result.value();
        if (ran.terminal != null && !java.util.Arrays.equals(ran.terminal, saved)) {
            state.write(data -> {
                data.put(STATE_KEY, ran.terminal);
                return null;
            });
        }
        StringBuilder stderr = new StringBuilder(ran.run.stderr().text());
        if (ran.run.outOfMemory()) {
            note(stderr, "[killed: the command's processes passed their " + (sandboxes.limits().memoryBytes() >> 20) + " MiB memory limit]");
        }
        for (String note : result.notes()) {
            note(stderr, "[not kept] " + note);
        }
        return new Outcome(ran.run.stdout().text(), stderr.toString(), ran.run.exitCode());
    }

    /** Forgets the session's local workspace (its files stay in the store). */
    public void forget(String sessionId) {
        sandboxes.forget(sessionId);
    }

    private static void note(StringBuilder stderr, String line) {
        if (!stderr.isEmpty() && stderr.charAt(stderr.length() - 1) != '\n') {
            stderr.append('\n');
        }
        stderr.append(line).append('\n');
    }

    private record Ran(Sandbox.Run run, byte[] terminal) {}

    /** The terminal the command's shell saved, or null to keep the previous one (it saved none, or too much). */
    private static byte[] saved(Path control) {
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
