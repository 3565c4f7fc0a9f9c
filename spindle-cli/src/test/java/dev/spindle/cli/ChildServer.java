package dev.spindle.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code spindle serve} from the runnable jar as a child process: its port read from its banner, its output kept. */
final class ChildServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    final String base;
    private final StringBuffer output = new StringBuffer();

    private ChildServer(Path workDir, List<String> args) throws IOException, InterruptedException {
        List<String> command = PackagedJar.command("serve", "--port", "0");
        command.addAll(args);
        process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        Thread.ofVirtual().start(this::drain);
        int port = -1;
        for (int i = 0; i < 600 && port < 0 && process.isAlive(); i++) {
            Matcher m = LISTENING.matcher(output);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            } else {
                Thread.sleep(100);
            }
        }
        if (port < 0) {
            process.destroyForcibly();
            throw new IllegalStateException("spindle serve did not start:\n" + output);
        }
        base = "http://127.0.0.1:" + port;
    }

    /** Starts {@code spindle serve --port 0 ARGS...} in {@code workDir} and waits until it listens. */
    static ChildServer start(Path workDir, String... args) throws IOException, InterruptedException {
        return new ChildServer(workDir, List.of(args));
    }

    private void drain() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.append(line).append('\n');
            }
        } catch (IOException closed) {
            // the process ended
        }
    }

    String output() {
        return output.toString();
    }

    /** SIGKILL on Linux: no shutdown hook, no flush, nothing but what the store already made durable. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("spindle serve survived SIGKILL");
        }
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // SIGKILL was sent; a caller that is interrupted stops waiting for it
        }
    }
}
