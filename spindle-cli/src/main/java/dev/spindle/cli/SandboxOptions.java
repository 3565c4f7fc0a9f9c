package dev.spindle.cli;

import dev.spindle.code.CodeComponent;
import dev.spindle.core.ConfigException;
import dev.spindle.sandbox.Limits;
import dev.spindle.sandbox.RootFilesystem;
import dev.spindle.sandbox.Sandboxes;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where the shell's {@code bash} and native Python and JavaScript run, for {@code serve}, {@code mcp},
 * {@code task check} and in-process {@code generate} and {@code verify}. Labels keep each option over
 * picocli's 20-column limit, as {@link GitHubOptions} says.
 */
final class SandboxOptions {
    static final long DEFAULT_MAX_WORKSPACE_BYTES = 4L << 30;
    static final Duration DEFAULT_MAX_COMMAND_TIMEOUT = Duration.ofMinutes(10);

    @Option(names = "--sandbox-root", defaultValue = "host", paramLabel = "host|FOLDER",
            description = "What commands see as /: this machine's own system, read-only (host), or a folder holding a Linux root (default: ${DEFAULT-VALUE}).")
    String root;

    @Option(names = "--workspaces", paramLabel = "FOLDER_PATH",
            description = "Where sessions' local copies of their files live (default: a new folder in the temporary directory, removed at exit).")
    Path workspaces;

    @Option(names = "--max-workspace-bytes", defaultValue = "4GiB", paramLabel = "BYTES", converter = Sizes.ByteConverter.class,
            description = "Local copies of all sessions together; past it the least recently used idle ones are dropped (default: ${DEFAULT-VALUE}).")
    long maxWorkspaceBytes;

    @Option(names = "--max-command-timeout", defaultValue = "10m", paramLabel = "DURATION", converter = Sizes.DurationConverter.class,
            description = "The longest timeout_ms a bash call may ask for (default: ${DEFAULT-VALUE}).")
    Duration maxCommandTimeout;

    @Option(names = "--python", defaultValue = "auto", paramLabel = "auto|native|wasm",
            description = "Where run_python runs: the sandbox root's python3, CPython in WebAssembly, or native where the root has python3 (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--javascript", defaultValue = "auto", paramLabel = "auto|native|wasm",
            description = "Where run_javascript runs: the sandbox root's node, QuickJS in WebAssembly, or native where the root has node (default: ${DEFAULT-VALUE}).")
    String javaScript;

    /** Probes this host for a sandbox as the options say; the caller closes what it gets (a runtime that owns it does). */
    Natives open() {
        if (maxCommandTimeout.toMillis() < 1) {
            throw new ConfigException("--max-command-timeout must be at least 1 ms");
        }
        if (maxWorkspaceBytes < 1 << 20) {
            throw new ConfigException("--max-workspace-bytes must be at least 1MiB, got " + maxWorkspaceBytes);
        }
        backend("--python", python);
        backend("--javascript", javaScript);
        RootFilesystem rootFilesystem;
        try {
            rootFilesystem = root.equals("host") ? RootFilesystem.host() : RootFilesystem.directory(Path.of(root));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--sandbox-root: " + e.getMessage());
        }
        Sandboxes sandboxes = workspaces == null ? Sandboxes.openTemporary(rootFilesystem, maxWorkspaceBytes, Limits.DEFAULTS)
                : Sandboxes.open(rootFilesystem, workspaces, maxWorkspaceBytes, Limits.DEFAULTS);
        return new Natives(sandboxes, maxCommandTimeout, backend("--python", python), backend("--javascript", javaScript));
    }

    /** What {@link #open} gives with every option at its default: the host's system in a temporary folder. */
    static Natives defaults() {
        return new Natives(Sandboxes.openTemporary(RootFilesystem.host(), DEFAULT_MAX_WORKSPACE_BYTES, Limits.DEFAULTS),
                DEFAULT_MAX_COMMAND_TIMEOUT, null, null);
    }

    /** {@code auto} is null: native where the sandbox root has the interpreter. */
    private static CodeComponent.Backend backend(String option, String choice) {
        return switch (choice) {
            case "auto" -> null;
            case "native" -> CodeComponent.Backend.NATIVE;
            case "wasm" -> CodeComponent.Backend.WASM;
            default -> throw new ConfigException(option + ": '" + choice + "' is not one of auto, native, wasm");
        };
    }

    /** The sandboxes opened, and how the built-ins use them. */
    record Natives(Sandboxes sandboxes, Duration maxCommandTimeout, CodeComponent.Backend python, CodeComponent.Backend javaScript) {
        /** The code component's builder, running each language where the options say (null: where the root allows). */
        CodeComponent.Builder code(CodeComponent.Builder builder) {
            builder.withSandboxes(sandboxes);
            if (python != null) {
                builder.python(python);
            }
            if (javaScript != null) {
                builder.javaScript(javaScript);
            }
            return builder;
        }
    }
}
