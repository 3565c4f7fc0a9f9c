package dev.spindle.profiles.claudecode;

import dev.spindle.core.Arguments;
import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolContext;
import dev.spindle.core.Workload;
import dev.spindle.shell.Terminal;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code Bash {command, timeout?, description?}}: the command in the session's terminal (the shell
 * component's sandbox; the working directory and exported variables persist), answered as Claude Code
 * words it: stdout without leading blank lines nor trailing space, then stderr, then a non-zero exit code.
 * {@code timeout} is in milliseconds, 2 minutes by default, at most 10 (and at most the server's limit).
 */
final class BashTool extends ClaudeCodeTool {
    static final long DEFAULT_TIMEOUT_MS = 120_000;
    static final long MAX_TIMEOUT_MS = 600_000;

    private final Terminal terminal;
    private final Duration maxTimeout;

    BashTool(Terminal terminal, Duration maxTimeout) {
        super("Bash");
        this.terminal = terminal;
        this.maxTimeout = maxTimeout;
    }

    /** A command keeps a core busy (tests, builds) for as long as it runs. */
    @Override
    public Workload workload() {
        return Workload.COMPUTE;
    }

    @Override
    String run(ToolContext context, Arguments args) {
        long asked = args.json().path("timeout").asLong(DEFAULT_TIMEOUT_MS);
        if (asked < 1 || asked > MAX_TIMEOUT_MS) {
            throw new SpindleException(ErrorType.InvalidArguments, "timeout must be 1 to " + MAX_TIMEOUT_MS + " milliseconds, got " + asked);
        }
        Duration timeout = Duration.ofMillis(Math.min(asked, maxTimeout.toMillis()));
        Terminal.Outcome outcome;
        try {
            outcome = terminal.run(context, args.text("command"), timeout);
        } catch (SpindleException e) {
            if (e.type() == ErrorType.Timeout) {
                throw new SpindleException(ErrorType.Timeout, "<error>Command was aborted before completion</error> (it ran past its "
                        + timeout.toMillis() + " ms timeout; its changes to the files were not kept)");
            }
            throw e;
        }
        String stdout = outcome.stdout().replaceFirst("^(\\s*\\n)+", "").stripTrailing();
        String exit = outcome.exitCode() == 0 ? "" : "Exit code " + outcome.exitCode();
        return Stream.of(stdout, outcome.stderr().strip(), exit).filter(s -> !s.isEmpty()).collect(Collectors.joining("\n"));
    }
}
