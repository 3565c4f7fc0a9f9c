package dev.spindle.cli;

import dev.spindle.core.ConfigException;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.github.GitHubConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The in-process runtime tasks are played in ({@code task check}, {@code eval}): memory store, built-in components, a manifest's. */
final class TaskRuntimeOptions {
    @Option(names = "--manifest", paramLabel = "FILE", description = "A spindle.toml of WebAssembly components the tasks use.")
    Path manifest;

    @Option(names = "--code-timeout", defaultValue = "5s", paramLabel = "DURATION", converter = Sizes.DurationConverter.class,
            description = "How long code calls may run when neither they nor the task (code_timeout_ms) say (at most 30s; default: ${DEFAULT-VALUE}).")
    Duration codeTimeout;

    @Mixin
    SandboxOptions sandbox;

    ToolRuntime open(String command) {
        Spindle.codeTimeoutProblem(codeTimeout).ifPresent(problem -> {
            throw new ConfigException(command, List.of(problem));
        });
        return Spindle.runtime(new MemoryStore(), manifest, mock -> mock, code -> code.defaultTimeout(codeTimeout),
                GitHubConfig.fromEnv(System.getenv()), sandbox.open()).build();
    }
}
