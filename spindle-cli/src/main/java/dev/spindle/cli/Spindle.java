package dev.spindle.cli;

import dev.spindle.code.CodeComponent;
import dev.spindle.core.AllowedHosts;
import dev.spindle.core.ConfigException;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.github.GitHubComponent;
import dev.spindle.github.GitHubConfig;
import dev.spindle.mcp.McpToolFetcher;
import dev.spindle.mock.MockComponent;
import dev.spindle.profiles.Profiles;
import dev.spindle.shell.ShellComponent;
import dev.spindle.store.redis.RedisStore;
import dev.spindle.store.sqlite.SqliteStore;
import dev.spindle.vfs.VfsComponent;
import dev.spindle.wasm.Manifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import tools.jackson.databind.node.ObjectNode;

/** The composition root: every component and store backend this build offers, in one place. */
final class Spindle {
    private Spindle() {}

    /** A runtime builder with every built-in component registered, in routing-precedence order. */
    static ToolRuntime.Builder runtime(KeyValueStore store) {
        return runtime(store, null);
    }

    /** The same, plus the WebAssembly components a {@code spindle.toml} declares (after the built-ins). */
    static ToolRuntime.Builder runtime(KeyValueStore store, Path manifest) {
        return runtime(store, manifest, GitHubConfig.fromEnv(System.getenv()));
    }

    /** The same, with GitHub reached as {@code github} says, and the shell and native code on this host's sandbox as by default. */
    static ToolRuntime.Builder runtime(KeyValueStore store, Path manifest, GitHubConfig github) {
        return runtime(store, manifest, mock -> mock, code -> code, github, SandboxOptions.defaults());
    }

    /**
     * The same, with the mock component's limits set by {@code mockOptions} (answer size, where {@code pull}
     * may reach, handler scripts' time and state), the code component's by {@code codeOptions} (its default
     * timeout), GitHub reached as {@code github} says, and the shell and native code run in {@code natives}'
     * sandboxes, which the runtime owns from here on (it closes them).
     */
    static ToolRuntime.Builder runtime(KeyValueStore store, Path manifest, UnaryOperator<MockComponent.Builder> mockOptions,
            UnaryOperator<CodeComponent.Builder> codeOptions, GitHubConfig github, SandboxOptions.Natives natives) {
        return runtime(store, manifest, mockOptions, codeOptions, github, natives, List.of(Profiles.SPINDLE));
    }

    /**
     * The same, offering the tool sets {@code profiles} names ({@code --profile}): {@code spindle} is the
     * built-in components above; each other profile is one component, its commands in {@code natives}'
     * sandboxes. The manifest's components come after them all.
     */
    static ToolRuntime.Builder runtime(KeyValueStore store, Path manifest, UnaryOperator<MockComponent.Builder> mockOptions,
            UnaryOperator<CodeComponent.Builder> codeOptions, GitHubConfig github, SandboxOptions.Natives natives, List<String> profiles) {
        try {
            ToolRuntime.Builder builder = ToolRuntime.builder().withStore(store).withOwned(natives.sandboxes());
            for (String profile : new java.util.LinkedHashSet<>(profiles)) {
                Profiles.component(profile, natives.sandboxes(), natives.maxCommandTimeout()).ifPresentOrElse(builder::withComponent, () -> builder
                        .withComponent(new VfsComponent())
                        .withComponent(mockOptions.apply(MockComponent.builder().withPuller(Spindle::pull)).build())
                        .withComponent(codeOptions.apply(natives.code(CodeComponent.builder())).build())
                        .withComponent(new ShellComponent(natives.sandboxes(), natives.maxCommandTimeout()))
                        .withComponent(new GitHubComponent(github)));
            }
            if (manifest != null) {
                Manifest.load(manifest, System.getenv()).forEach(builder::withComponent);
            }
            return builder;
        } catch (RuntimeException e) { // a runtime never built closes nothing
            natives.sandboxes().close();
            throw e;
        }
    }

    /** What {@code /mock/pull} uses: the MCP SDK's Streamable HTTP client. */
    private static List<ObjectNode> pull(String url, Map<String, String> headers) {
        return McpToolFetcher.overHttp(url, headers, Duration.ofSeconds(30));
    }

    private static final String STORES = "memory, sqlite:PATH or redis://[user:pass@]host:port[/db] (rediss:// for TLS)";

    /** {@code memory}, {@code sqlite:PATH} or a Redis address, as checked by {@link StoreConverter}. */
    static KeyValueStore store(String spec) {
        if (!StoreConverter.valid(spec)) {
            throw new ConfigException("--store: '" + spec + "' is not a store; use " + STORES);
        }
        if (spec.equals("memory")) {
            return new MemoryStore();
        }
        return spec.startsWith("sqlite:") ? new SqliteStore(Path.of(spec.substring("sqlite:".length()))) : new RedisStore(spec);
    }

    /** {@code --code-timeout}: the default timeout of code calls, within what a call may ask for. */
    static Optional<String> codeTimeoutProblem(Duration timeout) {
        return timeout.toMillis() < 1 || timeout.compareTo(CodeComponent.MAX_TIMEOUT) > 0
                ? Optional.of("--code-timeout must be 1ms to " + CodeComponent.MAX_TIMEOUT.toSeconds() + "s, got " + timeout.toMillis() + "ms")
                : Optional.empty();
    }

    /** {@code --mock-outbound}: {@code none}, or a pattern checked while the command line is parsed. */
    static final class OutboundPatternConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String pattern) {
            if (!pattern.equals("none")) {
                try {
                    AllowedHosts.validate(pattern);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.TypeConversionException(e.getMessage());
                }
            }
            return pattern;
        }
    }

    /** Checks {@code --store} while the command line is parsed, so a mistake shows the command's own usage. */
    static final class StoreConverter implements CommandLine.ITypeConverter<String> {
        static boolean valid(String spec) {
            return spec.equals("memory") || spec.startsWith("sqlite:") && spec.length() > "sqlite:".length() || RedisStore.isAddress(spec);
        }

        @Override
        public String convert(String spec) {
            if (!valid(spec)) {
                throw new CommandLine.TypeConversionException("'" + spec + "' is not a store; use " + STORES);
            }
            return spec;
        }
    }
}
