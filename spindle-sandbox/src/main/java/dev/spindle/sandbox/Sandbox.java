package dev.spindle.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.spindle.core.text.CappedOutput;

/**
 * Runs commands in Linux namespace sandboxes with bubblewrap: new mount, PID, network, IPC, UTS, user and
 * cgroup namespaces; the root read-only ({@link RootFilesystem}); one writable directory bound at
 * {@code /workspace}; a private size-capped {@code /tmp}; the sandbox's own {@code /proc}; {@code /dev} with
 * only null, zero, full, random, urandom and tty; no network at all (not even the host's loopback);
 * {@code no_new_privs}; the {@link SeccompFilter}; a cleared environment; and {@link Limits} on memory,
 * processes, CPU, file size and open files. When a run ends, by itself or at its timeout, every process it
 * started is gone: the PID namespace dies with its first process, and the command's cgroup is emptied.
 * See docs/shell.md for what a command sees.
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sandbox.class.getName());
    /** The user commands run as: a plain account (no capabilities anywhere), named in our /etc/passwd. */
    public static final int UID = 1000;
    public static final String HOME = "/home/user";
    public static final String WORKSPACE = "/workspace";
    public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /**
     * Joins the cgroups, sets the resource limits, opens the seccomp program and the status file, then
     * becomes bubblewrap (exec: the process Java holds is bubblewrap's, so killing it ends the sandbox).
     * Bubblewrap's environment and command line are the sandbox's {@code /proc/1/environ} and
     * {@code /proc/1/cmdline}: the variables naming host paths (and the server's working directory,
     * {@code PWD}) are gone from it first, and its arguments, which name the workspace's host folders, come
     * from a file it reads on fd 5 ({@code --args 5}) and closes before the command starts.
     */
    private static final String LAUNCH = """
            for f in $SPINDLE_CGROUP_PROCS; do echo $$ > "$f" || exit 125; done
            ulimit -t "$SPINDLE_CPU_SECONDS" && ulimit -f "$SPINDLE_FILE_BLOCKS" && ulimit -n "$SPINDLE_OPEN_FILES" || exit 125
            if [ -n "$SPINDLE_ADDRESS_KB" ]; then ulimit -v "$SPINDLE_ADDRESS_KB" || exit 125; fi
            seccomp=$SPINDLE_SECCOMP status=$SPINDLE_STATUS args=$SPINDLE_ARGS
            unset PWD SPINDLE_CGROUP_PROCS SPINDLE_CPU_SECONDS SPINDLE_FILE_BLOCKS SPINDLE_OPEN_FILES SPINDLE_ADDRESS_KB SPINDLE_SECCOMP SPINDLE_STATUS SPINDLE_ARGS
            exec "$@" 3<"$seccomp" 4>"$status" 5<"$args"
            """;
    private static final Pattern EXIT_CODE = Pattern.compile("\"exit-code\"\\s*:\\s*(\\d+)");
    private static final Pattern CHILD_PID = Pattern.compile("\"child-pid\"");

    private final Path bubblewrap;
    private final RootFilesystem root;
    private final Optional<Cgroups> cgroups;
    /** Spindle's own files for the sandbox: the seccomp program, /etc's account files, per-run status files. */
    private final Path home;
    private final Path seccomp;
    private final Path etc;
    /** How the root is laid out, the same for every command (worked out once: it reads the root's folders). */
    private final List<String> rootOptions;
    private final AtomicLong runs = new AtomicLong();
    /**
     * Starts the names of this sandbox's cgroups, which all processes of the host share: unique to this
     * sandbox (its home's random name), so that two sandboxes in one process, or a leftover of an earlier
     * process with the same pid (a container's), never make a group that exists.
     */
    private final String groupPrefix;

    private Sandbox(Path bubblewrap, RootFilesystem root, Optional<Cgroups> cgroups, Path home, byte[] program) throws IOException {
        this.bubblewrap = bubblewrap;
        this.root = root;
        this.cgroups = cgroups;
        this.home = home;
        this.groupPrefix = home.getFileName() + "-";
        this.seccomp = Files.write(home.resolve("seccomp.bpf"), program);
        this.etc = Files.createDirectories(home.resolve("etc"));
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/usr/sbin/nologin\nuser:x:" + UID + ":" + UID
                + ":Sandbox user:" + HOME + ":/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nuser:x:" + UID + ":\nnogroup:x:65534:\n");
        Files.writeString(etc.resolve("hostname"), "sandbox\n");
        Files.writeString(etc.resolve("hosts"), "127.0.0.1\tlocalhost sandbox\n::1\tlocalhost ip6-localhost\n");
        Files.writeString(etc.resolve("gitconfig"), "[user]\n\tname = Sandbox user\n\temail = user@sandbox.invalid\n"
                + "[init]\n\tdefaultBranch = main\n[safe]\n\tdirectory = *\n");
        Files.createDirectories(home.resolve("runs"));
        this.rootOptions = List.copyOf(root.arguments(etc));
    }

    /**
     * A sandbox on this host, or the reason there cannot be one (no bubblewrap, namespaces refused, an
     * architecture without a seccomp program), found by running {@code /bin/true} in one.
     */
    public static Availability open(RootFilesystem root, Path home) {
        Optional<Path> bwrap = Stream.of("/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap").map(Path::of).filter(Files::isExecutable).findFirst();
        if (bwrap.isEmpty()) {
            return new Availability(null, "bubblewrap is not installed (Debian: apt-get install bubblewrap)");
        }
        Optional<byte[]> program = SeccompFilter.forThisMachine();
        if (program.isEmpty()) {
            return new Availability(null, "no seccomp program for this architecture (" + System.getProperty("os.arch") + ")");
        }
        Sandbox sandbox;
        try {
            Files.createDirectories(home);
            sandbox = new Sandbox(bwrap.get(), root, Cgroups.detect(), Files.createTempDirectory(home, "sandbox-"), program.get());
        } catch (IOException | RuntimeException e) {
            return new Availability(null, "cannot prepare the sandbox's files under " + home + ": " + e.getMessage());
        }
        try {
            Path probe = Files.createTempDirectory(sandbox.home, "probe-");
            Run run = sandbox.run(new Invocation(List.of("/bin/true"), probe, Map.of(), Limits.DEFAULTS, Duration.ofSeconds(10), 4096, List.of()));
            deleteTree(probe);
            if (run.failure().isPresent() || run.exitCode() != 0) {
                sandbox.close();
                String why = run.failure().orElse("exit code " + run.exitCode() + (run.stderr().text().isBlank() ? "" : ": " + run.stderr().text().strip()));
                return new Availability(null, "Linux namespaces are refused here (bubblewrap: " + why + ")");
            }
        } catch (IOException | RuntimeException e) {
            sandbox.close();
            return new Availability(null, "the sandbox cannot start: " + e.getMessage());
        }
        return new Availability(sandbox, null);
    }

    /** Either a working sandbox or why there is none. */
    public record Availability(Sandbox sandbox, String reason) {
        public Optional<Sandbox> get() {
            return Optional.ofNullable(sandbox);
        }
    }

    public RootFilesystem root() {
        return root;
    }

    /** True when commands get a cgroup of their own (memory for all their processes, a process count). */
    public boolean hasCgroups() {
        return cgroups.isPresent();
    }

    /**
     * One command to run.
     *
     * @param command   the program and its arguments, as the sandbox sees them
     * @param workspace the host directory bound read-write at {@link #WORKSPACE}, the working directory
     * @param env       variables besides {@code PATH}, {@code HOME}, {@code LANG} and {@code TERM}
     * @param outputCap bytes kept of stdout and of stderr each; the rest is counted, not kept
     * @param binds     more host directories bound read-write, as (host, sandbox path) pairs
     * @param group     the cgroup to run in, kept by the caller for many runs ({@link #group}); null for one of its own
     */
    public record Invocation(List<String> command, Path workspace, Map<String, String> env, Limits limits, Duration timeout,
                             int outputCap, List<Map.Entry<Path, String>> binds, Cgroups.Group group) {
        public Invocation(List<String> command, Path workspace, Map<String, String> env, Limits limits, Duration timeout,
                          int outputCap, List<Map.Entry<Path, String>> binds) {
            this(command, workspace, env, limits, timeout, outputCap, binds, null);
        }
    }

    /**
     * A cgroup with these limits for many runs, one at a time (a session's commands): making and removing one
     * costs about 20 ms on cgroup v1, more than the run itself. Empty where the host gives no cgroups. What the
     * runs write to a tmpfs stays charged to it, so its memory limit covers the session's workspace too.
     */
    public Optional<Cgroups.Group> group(Limits limits) {
        return cgroups.map(c -> c.create(groupPrefix + "session-" + runs.incrementAndGet(),
                limits.memoryBytes(), limits.processes()));
    }

    /**
     * How a run ended: its output, exit code (128 + the signal for a process killed by one), and whether it
     * was stopped at its timeout or killed for memory; {@code failure} says why the sandbox itself could not
     * run the command (then nothing of the command ran).
     */
    public record Run(CappedOutput stdout, CappedOutput stderr, int exitCode, boolean timedOut, boolean outOfMemory,
                      Optional<String> failure, long nanos) {}

    public Run run(Invocation invocation) {
        long started = System.nanoTime();
        String name = groupPrefix + "run-" + runs.incrementAndGet();
        Path status = home.resolve("runs").resolve(name + ".status");
        Path args = home.resolve("runs").resolve(name + ".args");
        Limits limits = invocation.limits();
        boolean ownGroup = invocation.group() == null;
        Cgroups.Group group = ownGroup ? cgroups.map(c -> c.create(name, limits.memoryBytes(), limits.processes())).orElse(null) : invocation.group();
        long oomKillsBefore = group == null ? 0 : group.oomKills();
        try {
            Process process = launch(invocation, group, status, args, ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            CappedOutput stdout = new CappedOutput(invocation.outputCap());
            CappedOutput stderr = new CappedOutput(invocation.outputCap());
            Thread out = drain(process.getInputStream(), stdout);
            Thread err = drain(process.getErrorStream(), stderr);
            boolean exited = process.waitFor(invocation.timeout().toNanos(), TimeUnit.NANOSECONDS);
            if (!exited) {
                process.destroyForcibly(); // bubblewrap; its PID namespace goes with it (--die-with-parent)
                process.waitFor(5, TimeUnit.SECONDS);
            }
            if (group != null) {
                group.killAll(); // anything left in the group dies before the output is awaited
            }
            out.join(Duration.ofSeconds(5));
            err.join(Duration.ofSeconds(5));
            String statusText = Files.exists(status) ? Files.readString(status) : "";
            Optional<String> failure = exited ? setupFailure(process.exitValue(), statusText, stderr) : Optional.empty();
            Matcher code = EXIT_CODE.matcher(statusText);
            int exitCode = code.find() ? Integer.parseInt(code.group(1)) : process.exitValue();
            boolean outOfMemory = group != null && group.oomKills() > oomKillsBefore;
            return new Run(stdout, stderr, exitCode, !exited, outOfMemory, failure, System.nanoTime() - started);
        } catch (IOException e) {
            return new Run(new CappedOutput(0), new CappedOutput(0), -1, false, false, Optional.of("cannot start bubblewrap: " + e.getMessage()),
                    System.nanoTime() - started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a sandboxed command ran", e);
        } finally {
            if (group != null && ownGroup) {
                group.close();
            }
            deleteQuietly(status);
            deleteQuietly(args);
        }
    }

    /**
     * Starts a long-lived program (a kernel that runs many pieces of code for one session) in a cgroup of its
     * own: its stdin and stdout are the caller's channel to it; what it writes to stderr is kept, capped.
     * {@link Live#close} kills it and everything it started. {@code timeout} does not apply.
     */
    public Live start(Invocation invocation) throws IOException {
        String name = groupPrefix + "live-" + runs.incrementAndGet();
        Path status = home.resolve("runs").resolve(name + ".status");
        Path args = home.resolve("runs").resolve(name + ".args");
        Cgroups.Group group = cgroups.map(c -> c.create(name, invocation.limits().memoryBytes(), invocation.limits().processes())).orElse(null);
        try {
            Process process = launch(invocation, group, status, args, ProcessBuilder.Redirect.PIPE);
            CappedOutput stderr = new CappedOutput(invocation.outputCap());
            drain(process.getErrorStream(), stderr);
            return new Live(process, group, List.of(status, args), stderr);
        } catch (IOException | RuntimeException e) {
            if (group != null) {
                group.close();
            }
            deleteQuietly(status);
            deleteQuietly(args);
            throw e;
        }
    }

    /** A program {@link #start}ed: its channel, its stderr, and its end. */
    public static final class Live implements AutoCloseable {
        private final Process process;
        private final Cgroups.Group group;
        /** Its status and arguments files, removed when it ends. */
        private final List<Path> files;
        private final CappedOutput stderr;

        private Live(Process process, Cgroups.Group group, List<Path> files, CappedOutput stderr) {
            this.process = process;
            this.group = group;
            this.files = files;
            this.stderr = stderr;
        }

        public OutputStream input() {
            return process.getOutputStream();
        }

        public InputStream output() {
            return process.getInputStream();
        }

        public CappedOutput stderr() {
            return stderr;
        }

        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (group != null) {
                group.close();
            }
            files.forEach(Sandbox::deleteQuietly);
        }
    }

    /**
     * The launcher, then bubblewrap, with the invocation's sandbox; the process Java holds is bubblewrap's.
     * Its options go to {@code args}, NUL-separated, which the caller removes when the process has ended
     * (bubblewrap has read it by the time the command runs); the command stays on the command line, where
     * bubblewrap looks for it.
     */
    private Process launch(Invocation invocation, Cgroups.Group group, Path status, Path args, ProcessBuilder.Redirect stdin) throws IOException {
        Limits limits = invocation.limits();
        StringBuilder nulSeparated = new StringBuilder();
        options(invocation).forEach(arg -> nulSeparated.append(arg).append('\0'));
        Files.writeString(args, nulSeparated);
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", LAUNCH, "spindle-sandbox", bubblewrap.toString(), "--args", "5", "--"));
        argv.addAll(invocation.command());
        ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(stdin);
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("SPINDLE_CGROUP_PROCS", group == null ? "" : String.join(" ", group.procsFiles().stream().map(Path::toString).toList()));
        env.put("SPINDLE_CPU_SECONDS", Integer.toString(limits.cpuSeconds()));
        env.put("SPINDLE_FILE_BLOCKS", Long.toString(Math.max(1, limits.fileSizeBytes() / 512))); // dash counts 512-byte blocks
        env.put("SPINDLE_OPEN_FILES", Integer.toString(limits.openFiles()));
        env.put("SPINDLE_ADDRESS_KB", group == null ? Long.toString(limits.memoryBytes() / 1024) : "");
        env.put("SPINDLE_SECCOMP", seccomp.toString());
        env.put("SPINDLE_STATUS", status.toString());
        env.put("SPINDLE_ARGS", args.toString());
        return builder.start();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.fine(() -> "event=status_file_left path=" + file);
        }
    }

    /** Why the sandbox, not the command, failed: the launcher's exit 125, or bubblewrap ending before it started the command. */
    private static Optional<String> setupFailure(int exitValue, String status, CappedOutput stderr) {
        if (exitValue == 125 && !CHILD_PID.matcher(status).find()) {
            return Optional.of("the sandbox's limits could not be set: " + stderr.text().strip());
        }
        if (!CHILD_PID.matcher(status).find()) {
            return Optional.of(stderr.text().strip().isEmpty() ? "bubblewrap exited with " + exitValue : stderr.text().strip());
        }
        return Optional.empty();
    }

    /** Bubblewrap's options for the invocation: all but the command. */
    private List<String> options(Invocation invocation) {
        Limits limits = invocation.limits();
        List<String> args = new ArrayList<>(List.of(
                "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
                "--uid", Integer.toString(UID), "--gid", Integer.toString(UID), "--hostname", "sandbox"));
        args.addAll(rootOptions);
        args.addAll(List.of(
                "--proc", "/proc",
                "--dev", "/dev",
                "--size", Long.toString(limits.tmpBytes()), "--tmpfs", "/dev/shm",
                "--remount-ro", "/dev",
                "--size", Long.toString(limits.tmpBytes()), "--tmpfs", "/tmp",
                "--size", Long.toString(limits.tmpBytes()), "--tmpfs", HOME,
                "--bind", invocation.workspace().toString(), WORKSPACE));
        for (Map.Entry<Path, String> bind : invocation.binds()) {
            args.addAll(List.of("--bind", bind.getKey().toString(), bind.getValue()));
        }
        args.addAll(List.of("--remount-ro", "/", "--chdir", WORKSPACE, "--clearenv",
                "--setenv", "PATH", PATH, "--setenv", "HOME", HOME, "--setenv", "LANG", "C.UTF-8", "--setenv", "TERM", "dumb",
                "--setenv", "USER", "user",
                // bytecode caches hold times: they would make a session's files differ from a replay's
                "--setenv", "PYTHONDONTWRITEBYTECODE", "1"));
        invocation.env().forEach((key, value) -> args.addAll(List.of("--setenv", key, value)));
        args.addAll(List.of("--seccomp", "3", "--json-status-fd", "4"));
        return args;
    }

    private static Thread drain(InputStream from, OutputStream to) {
        return Thread.ofVirtual().name("sandbox-output").start(() -> {
            try (from) {
                from.transferTo(to);
            } catch (IOException e) {
                // the process is gone; what was read is kept
            }
        });
    }

    @Override
    public void close() {
        deleteTree(home);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
