package dev.spindle.cli;

import dev.spindle.client.SpindleClient;
import dev.spindle.core.ConfigException;
import dev.spindle.core.ToolService;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.generator.config.GeneratorConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where {@code generate} and {@code verify} run tool calls, and how much they log. */
final class ToolServiceOptions {
    @Option(names = "--manifest", paramLabel = "FILE", description = "A spindle.toml of WebAssembly components for in-process tools.")
    Path manifest;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:SPINDLE_TOKEN}", description = "Bearer token for spin_endpoint (default: $SPINDLE_TOKEN).")
    String token;

    @Option(names = {"-v", "--verbose"}, description = "Log more, on stderr.")
    boolean verbose;

    @Mixin
    GitHubOptions github;

    @Mixin
    SandboxOptions sandbox;

    /**
     * {@code spindle serve} at {@code spin_endpoint}, or an in-process runtime (memory store, the
     * built-ins plus the manifest's components, GitHub as the {@code --github-*} options say) when there is none.
     */
    ToolService open(GeneratorConfig.Tools tools) {
        Logging.configure(verbose);
        if (tools != null && !tools.spinEndpoints().isEmpty()) {
            if (github.given()) {
                throw new ConfigException("--github-* options apply to tools run in this process; with spin_endpoint the server runs them: "
                        + "give the options to its spindle serve");
            }
            if (tools.codeTimeoutMs() != null) {
                throw new ConfigException("generation.tools.code_timeout_ms applies to tools run in this process; with spin_endpoint the server "
                        + "runs them: give --code-timeout to its spindle serve");
            }
            SpindleClient client = SpindleClient.connect(tools.spinEndpoints());
            return token == null || token.isBlank() ? client : client.withToken(token);
        }
        return inProcess(tools == null ? null : tools.codeTimeoutMs());
    }

    /** The in-process runtime alone ({@code verify --tasks} plays tasks on it); {@code codeTimeout} in ms, or null for the default. */
    ToolRuntime inProcess(Integer codeTimeout) {
        Logging.configure(verbose);
        return Spindle.runtime(new MemoryStore(), manifest, mock -> mock,
                code -> codeTimeout == null ? code : code.defaultTimeout(Duration.ofMillis(codeTimeout)), github.config(), sandbox.open()).build();
    }
}
