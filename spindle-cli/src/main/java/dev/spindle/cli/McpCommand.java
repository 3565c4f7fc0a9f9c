package dev.spindle.cli;

import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.mcp.McpEndpoint;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spindle mcp}: every tool over MCP on stdio, for MCP clients that start their servers as
 * processes. The connection is one MCP session and one tool session, closed at end of input. stdout
 * carries only protocol messages; logs go to stderr.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve every tool over MCP on stdin/stdout (newline-delimited JSON-RPC).",
                "One process is one session: its files are isolated and dropped at exit."})
final class McpCommand implements Callable<Integer> {
    @Option(names = "--store", converter = Spindle.StoreConverter.class, defaultValue = "memory", paramLabel = "memory|sqlite:PATH",
            description = "Where state lives (default: ${DEFAULT-VALUE}); sqlite keeps the mock catalogue between runs.")
    String store;

    @Option(names = "--manifest", paramLabel = "FILE", description = "A spindle.toml of WebAssembly components to serve beside the built-ins.")
    Path manifest;

    @Option(names = {"-v", "--verbose"}, description = "Log more, on stderr.")
    boolean verbose;

    @Mixin
    GitHubOptions github;

    @Mixin
    SandboxOptions sandbox;

    @Mixin
    ProfileOptions profiles;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing but protocol may reach stdout
        try (ToolRuntime runtime = Spindle.runtime(Spindle.store(store), manifest, mock -> mock, code -> code, github.config(), sandbox.open(), profiles.names()).build()) {
            McpEndpoint endpoint = new McpEndpoint(runtime);
            String session = endpoint.openSession().orElseThrow();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    endpoint.handle(session, line).ifPresent(answer -> {
                        out.print(answer);
                        out.print('\n');
                        out.flush();
                    });
                }
            } finally {
                endpoint.closeSession(session);
            }
        }
        return 0;
    }
}
