package dev.spindle.cli.docs;

import dev.spindle.cli.PackagedJar;
import dev.spindle.testing.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A reader's terminal for one doc: a working directory that looks like a checkout (every top-level entry
 * of the repository linked in, but {@code out/} and {@code .spindle/} its own), where {@code ./spindle} is
 * the packaged jar, one bash that keeps variables from command to command, and the services the doc
 * starts ({@code ./spindle serve}, anything sent to the background with {@code &}) running beside it.
 * Every port the doc names ({@code localhost:3000}, {@code --port 3001}, {@code PORT=3001}, a Redis
 * address) is moved to a free one, the same for the whole doc; a service started on a port that another
 * one holds replaces it, as a reader stops the first server before starting the next.
 */
final class DocShell implements AutoCloseable {
    private static final Pattern ADDRESS = Pattern.compile("((?:localhost|127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\[::1\\]):)(\\d{2,5})\\b");
    private static final Pattern PORT_FLAG = Pattern.compile("(--port[= ])(\\d{2,5})\\b");
    private static final Pattern PORT_VARIABLE = Pattern.compile("\\b(PORT=)(\\d{2,5})\\b");
    private static final Pattern HTTP_STATUS = Pattern.compile("(?m)^@@http (\\d{3})$\\n?");
    /** Left out of the working directory's links: what the doc's commands write. */
    private static final Set<String> OWN = Set.of("out", ".spindle", ".git", "spindle", "target");
    private static final long COMMAND_SECONDS = 180;
    private static final long START_SECONDS = 90;

    /** What a command did: its exit code, output, and the HTTP status of every answer curl received. */
    record Result(int exit, String out, String err, List<Integer> statuses) {}

    private final Path dir;
    private final Path results;
    private final Map<String, String> environment;
    private final Map<Integer, Integer> ports = new HashMap<>();
    private final Map<Integer, Process> services = new LinkedHashMap<>();
    private Process bash;
    private int commands;

    DocShell(Path repository) throws IOException {
        dir = Files.createTempDirectory("spindle-docs-");
        results = Files.createDirectory(dir.resolve(".doc-results"));
        try (Stream<Path> entries = Files.list(repository)) {
            for (Path entry : entries.toList()) {
                if (!OWN.contains(entry.getFileName().toString())) {
                    Files.createSymbolicLink(dir.resolve(entry.getFileName()), entry);
                }
            }
        }
        Path launcher = dir.resolve("spindle");
        Files.writeString(launcher, """
                #!/usr/bin/env bash
                # ./spindle for the docs test: the packaged jar (PackagedJar), never rebuilt; the launcher's
                # own commands go to the real one.
                case "${1:-}" in
                  java-home|install-test-peers|test) exec %s "$@" ;;
                esac
                exec %s "$@"
                """.formatted(quoted(repository.resolve("spindle").toString()),
                String.join(" ", PackagedJar.command().stream().map(DocShell::quoted).toList())));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        // a new user's environment: none of the keys, tokens or store settings a developer may have exported
        environment = new LinkedHashMap<>();
        environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("HOME", System.getProperty("user.home"));
        environment.put("LANG", "C.UTF-8");
        environment.put("JAVA_HOME", Path.of(System.getProperty("spindle.java")).getParent().getParent().toString());
        startBash();
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Runs one command of the doc (a service in the background), with the doc's ports moved to this shell's. */
    Result run(DocCommand command) throws IOException, InterruptedException {
        String text = localized(withDefaultServer(command));
        return command.service() ? start(text) : execute(text);
    }

    private void startBash() throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc", "-s").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve(".doc-shell.log").toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        bash = builder.start();
        // curl reports each answer's status on stderr, so stdout stays the answer (pipes, $(...), > file)
        send("curl() { command curl -w '%{stderr}\\n@@http %{http_code}\\n' \"$@\"; }\n");
    }

    private void send(String script) throws IOException {
        OutputStream in = bash.getOutputStream();
        in.write(script.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private Result execute(String text) throws IOException, InterruptedException {
        int n = ++commands;
        Path out = results.resolve(n + ".out");
        Path err = results.resolve(n + ".err");
        Path rc = results.resolve(n + ".rc");
        send("{ " + text + "\n} </dev/null >" + out + " 2>" + err + "; echo $? >" + rc + ".tmp; mv " + rc + ".tmp " + rc + "\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_SECONDS);
        while (!Files.exists(rc)) {
            if (System.nanoTime() > deadline || !bash.isAlive()) {
                stop(bash);
                startBash();
                throw new IllegalStateException("did not finish within " + COMMAND_SECONDS + " s: " + text + "\n" + tail(err));
            }
            Thread.sleep(20);
        }
        String errors = Files.readString(err);
        List<Integer> statuses = new ArrayList<>();
        Matcher status = HTTP_STATUS.matcher(errors);
        while (status.find()) {
            statuses.add(Integer.valueOf(status.group(1)));
        }
        return new Result(Integer.parseInt(Files.readString(rc).strip()), Files.readString(out),
                HTTP_STATUS.matcher(errors).replaceAll("").strip(), statuses);
    }

    /** Starts a service in the background and waits until its port answers. */
    private Result start(String text) throws IOException, InterruptedException {
        String command = text.strip();
        command = command.endsWith("&") ? command.substring(0, command.length() - 1).strip() : command;
        int port = servicePort(command);
        Process replaced = services.remove(port);
        if (replaced != null) {
            stop(replaced);
        }
        Path log = results.resolve("service-" + (++commands) + ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc", "-c", command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        services.put(port, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (!Ports.listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException((process.isAlive() ? "did not listen on port " + port + " within " + START_SECONDS + " s: "
                        : "exited with " + process.exitValue() + ": ") + command + "\n" + tail(log));
            }
            Thread.sleep(50);
        }
        return new Result(0, "", "", List.of());
    }

    /** The port a service listens on: its {@code --port} or {@code PORT=}, or Redis's, else 3000 for {@code spindle serve}. */
    private static int servicePort(String localized) {
        for (Pattern pattern : List.of(PORT_FLAG, PORT_VARIABLE)) {
            Matcher port = pattern.matcher(localized);
            if (port.find()) {
                return Integer.parseInt(port.group(2));
            }
        }
        throw new IllegalStateException("a service must name its port (--port N or PORT=N): " + localized);
    }

    /**
     * What a command means on the doc's default ports, said explicitly so that it can be moved: {@code ./spindle
     * serve} listens on 3000, and {@code ./spindle snapshot} talks to {@code http://127.0.0.1:3000}.
     */
    private static String withDefaultServer(DocCommand command) {
        String text = command.text();
        String words = command.words();
        if (words.startsWith("./spindle serve") && !PORT_FLAG.matcher(text).find()) {
            return text.strip().endsWith("&") ? text.strip().replaceFirst("\\s*&$", " --port 3000 &") : text + " --port 3000";
        }
        if (words.startsWith("./spindle snapshot ") && !text.contains("--url")) {
            return text + " --url http://127.0.0.1:3000";
        }
        return text;
    }

    private String localized(String text) {
        return movePorts(PORT_VARIABLE, movePorts(PORT_FLAG, movePorts(ADDRESS, text)));
    }

    /** Each match's group 2, a port, moved to this shell's; group 1, what precedes it, kept. */
    private String movePorts(Pattern pattern, String text) {
        return pattern.matcher(text).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + port(Integer.parseInt(match.group(2)))));
    }

    private int port(int documented) {
        return ports.computeIfAbsent(documented, unused -> Ports.free());
    }

    private static String tail(Path log) {
        try {
            String text = Files.exists(log) ? Files.readString(log) : "";
            return text.length() > 3000 ? "..." + text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    /** Stops a process and everything it started (bash, then the java or node it ran), 10 s each at most. */
    private static void stop(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            handle.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
            handle.destroyForcibly();
        }
    }

    @Override
    public void close() throws IOException {
        for (Process service : services.values()) {
            stop(service);
        }
        services.clear();
        stop(bash);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
