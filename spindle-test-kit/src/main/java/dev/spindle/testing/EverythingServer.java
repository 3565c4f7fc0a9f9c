package dev.spindle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The reference MCP peer, {@code @modelcontextprotocol/server-everything} from npm, which {@code .ci/run}
 * and {@code ./spindle test} install under {@code .ci/mcp-peers}. Tests that need it are skipped when it
 * is absent, except where {@code SPINDLE_REQUIRE_MCP_PEERS} is set (CI sets it), where that is a failure.
 */
public final class EverythingServer implements AutoCloseable {
    private final Process process;
    public final int port;

    private EverythingServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Path of the server's {@code dist/index.js}; skips (or fails, in CI) when it is not installed. */
    public static Path script() {
        String configured = System.getenv("SPINDLE_MCP_EVERYTHING");
        Path script = configured != null ? Path.of(configured) : findUpwards(Path.of("").toAbsolutePath());
        Prerequisite.require(script != null && Files.exists(script), "SPINDLE_REQUIRE_MCP_PEERS",
                "@modelcontextprotocol/server-everything not installed under .ci/mcp-peers: ./spindle test installs it");
        return script;
    }

    private static Path findUpwards(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve(".ci/mcp-peers/node_modules/@modelcontextprotocol/server-everything/dist/index.js");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The stdio command line for the server. */
    public static List<String> stdioCommand() {
        return List.of("node", script().toString(), "stdio");
    }

    /** Starts the Streamable HTTP server on a free port; {@link #url()} is its endpoint. */
    public static EverythingServer startHttp() throws IOException, InterruptedException {
        Path script = script();
        int port = Ports.free();
        ProcessBuilder builder = new ProcessBuilder("node", script.toString(), "streamableHttp").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", Integer.toString(port));
        Process process = builder.start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (Ports.listening(port)) {
                return new EverythingServer(process, port);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("server-everything exited with " + process.exitValue());
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("server-everything did not listen on port " + port + " within 20 s");
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
