package dev.spindle.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A throw-away {@code redis-server} (the apt package) on a free loopback port, without persistence
 * files, stopped by its PID; it takes {@code DEBUG} from loopback clients, so a test can {@link #freeze} it.
 * Tests that need it skip when it is absent, except where {@code SPINDLE_REQUIRE_REDIS} is set (CI sets it),
 * where that is a failure.
 */
public final class RedisServer implements AutoCloseable {
    public final int port;
    private Process process;

    private RedisServer(int port) {
        this.port = port;
    }

    /** Starts a server on a free port; skips (or fails, in CI) when {@code redis-server} is not installed. */
    public static RedisServer start() throws IOException, InterruptedException {
        Prerequisite.require(installed(), "SPINDLE_REQUIRE_REDIS", "redis-server not installed: apt-get install redis-server");
        RedisServer server = new RedisServer(Ports.free());
        server.restart();
        return server;
    }

    private static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "redis-server").canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** The store address for {@code --store}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server again on the same port (after {@link #stop()}), empty. */
    public void restart() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--enable-debug-command", "local"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (Ports.listening(port)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue());
            }
            Thread.sleep(50);
        }
        stop();
        throw new IllegalStateException("redis-server did not listen on port " + port + " within 20 s");
    }

    /** A counter of {@code INFO stats}, e.g. {@code total_net_output_bytes}, asked over a connection of its own. */
    public long statistic(String name) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port);
                BufferedReader reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
            socket.getOutputStream().write("INFO stats\r\n".getBytes(StandardCharsets.US_ASCII));
            for (String line = reply.readLine(); line != null; line = reply.readLine()) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.substring(name.length() + 1).strip());
                }
            }
            throw new IllegalArgumentException("Redis has no statistic " + name);
        }
    }

    /**
     * Freezes the server for {@code seconds} ({@code DEBUG SLEEP}: it answers nobody meanwhile, connections
     * stay open), as a stalled Redis would; the answer completes once it is awake again.
     */
    public CompletableFuture<Void> freeze(int seconds) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(("DEBUG SLEEP " + seconds + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return CompletableFuture.runAsync(() -> {
            try (socket) {
                String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                if (!"+OK".equals(reply)) {
                    throw new IllegalStateException("DEBUG SLEEP answered " + reply);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Kills the server (by its PID) and waits until it is gone. */
    public void stop() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the kill was sent; a caller that is interrupted stops waiting for it
        }
    }
}
