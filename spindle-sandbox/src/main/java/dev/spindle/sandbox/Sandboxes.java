package dev.spindle.sandbox;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the composition root grants the components that run native programs (the shell's {@code bash},
 * native Python and JavaScript): the host's sandbox, or why there is none, and the sessions' local
 * workspaces, shared so that one session has one copy of its files whichever tool runs in it.
 */
public final class Sandboxes implements AutoCloseable {
    /** Where a command's small control files (its command text, saved state) appear in the sandbox. */
    public static final String CONTROL = "/run/spindle";

    private final Sandbox.Availability availability;
    private final Workspaces workspaces;
    private final Limits limits;

    /** Removed on close: the folder {@link #openTemporary} made; null when the caller chose the folder. */
    private final Path temporaryHome;

    public Sandboxes(Sandbox.Availability availability, Workspaces workspaces, Limits limits) {
        this(availability, workspaces, limits, null);
    }

    private Sandboxes(Sandbox.Availability availability, Workspaces workspaces, Limits limits, Path temporaryHome) {
        this.availability = availability;
        this.workspaces = workspaces;
        this.limits = limits;
        this.temporaryHome = temporaryHome;
    }

    /** Probes this host for a sandbox on {@code root}; keeps its files under {@code home} and workspaces within {@code maxWorkspaceBytes}. */
    public static Sandboxes open(RootFilesystem root, Path home, long maxWorkspaceBytes, Limits limits) {
        return open(root, home, maxWorkspaceBytes, limits, null);
    }

    /** The same in a fresh folder of the temporary directory, removed on close. */
    public static Sandboxes openTemporary(RootFilesystem root, long maxWorkspaceBytes, Limits limits) {
        try {
            Path home = Files.createTempDirectory("spindle-sandboxes-");
            return open(root, home, maxWorkspaceBytes, limits, home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the workspaces in " + System.getProperty("java.io.tmpdir"), e);
        }
    }

    private static Sandboxes open(RootFilesystem root, Path home, long maxWorkspaceBytes, Limits limits, Path temporaryHome) {
        return new Sandboxes(Sandbox.open(root, home.resolve("sandbox")), new Workspaces(home.resolve("workspaces"), maxWorkspaceBytes), limits, temporaryHome);
    }

    public Optional<Sandbox> sandbox() {
        return availability.get();
    }

    /** Why there is no sandbox here; null when there is one. */
    public String unavailable() {
        return availability.reason();
    }

    public Limits limits() {
        return limits;
    }

    public Workspaces workspaces() {
        return workspaces;
    }

    /** The sandbox, or {@code ComponentFailed} saying why this server has none, for a tool named {@code tool}. */
    public Sandbox require(String tool) {
        return sandbox().orElseThrow(() -> new SpindleException(ErrorType.ComponentFailed, tool + " cannot run on this server: " + unavailable()));
    }

    /**
     * Runs {@code work} in the session's workspace, caught up with its files, and commits what it changed
     * (see {@link Workspaces#run}); {@code work} runs programs through the {@link Session} it is given.
     */
    public <T> Workspaces.Result<T> inSession(String sessionId, String incarnation, SessionFiles files, Function<Session, T> work) {
        Sandbox sandbox = sandbox().orElseThrow(() -> new SpindleException(ErrorType.ComponentFailed, "no sandbox on this server: " + unavailable()));
        return workspaces.run(sessionId, incarnation, files, workspace -> work.apply(new Session(sandbox, workspace)));
    }

    /** Like {@link #inSession}, but nothing {@code work} changes is kept: the store is not written. */
    public <T> T looking(String sessionId, String incarnation, SessionFiles files, Function<Session, T> work) {
        Sandbox sandbox = sandbox().orElseThrow(() -> new SpindleException(ErrorType.ComponentFailed, "no sandbox on this server: " + unavailable()));
        return workspaces.look(sessionId, incarnation, files, workspace -> work.apply(new Session(sandbox, workspace)));
    }

    /** The session's workspace and files are gone with it. */
    public void forget(String sessionId) {
        workspaces.forget(sessionId);
    }

    /** One session's workspace as a tool sees it while it runs there. */
    public final class Session {
        private final Sandbox sandbox;
        private final LocalWorkspace workspace;

        private Session(Sandbox sandbox, LocalWorkspace workspace) {
            this.sandbox = sandbox;
            this.workspace = workspace;
        }

        /** The host side of {@link #CONTROL}: the tool writes what the program reads there, and reads what it leaves. */
        public Path control() {
            return workspace.control();
        }

        /** Runs {@code command} in the workspace, in the session's cgroup; output capped at {@code outputCap} bytes a stream. */
        public Sandbox.Run run(List<String> command, Duration timeout, int outputCap) {
            Cgroups.Group group = workspace.attachment("cgroup", () -> sandbox.group(limits).orElse(null));
            Sandbox.Run run = sandbox.run(new Sandbox.Invocation(command, workspace.files(), Map.of(), limits, timeout, outputCap,
                    List.of(Map.entry(workspace.control(), CONTROL)), group));
            if (run.failure().isPresent()) {
                throw new SpindleException(ErrorType.ComponentFailed, "the sandbox could not run the program: " + run.failure().get());
            }
            return run;
        }

        /**
         * Starts a long-lived program in the workspace (a kernel), in a cgroup of its own so that the session's
         * commands, which end by killing what they left, leave it running.
         */
        public Sandbox.Live start(List<String> command, int stderrCap) {
            try {
                return sandbox.start(new Sandbox.Invocation(command, workspace.files(), Map.of(), limits, Duration.ZERO, stderrCap,
                        List.of(Map.entry(workspace.control(), CONTROL))));
            } catch (IOException e) {
                throw new SpindleException(ErrorType.ComponentFailed, "the sandbox could not start " + command.getFirst() + ": " + e.getMessage());
            }
        }

        /** What the session keeps beside its workspace (a kernel process), made on first use and closed with it. */
        public <T extends AutoCloseable> T attachment(String name, Supplier<T> make) {
            return workspace.attachment(name, make);
        }

        public Sandbox sandbox() {
            return sandbox;
        }

        public Path files() {
            return workspace.files();
        }
    }

    @Override
    public void close() {
        workspaces.close();
        sandbox().ifPresent(Sandbox::close);
        if (temporaryHome != null) {
            Sandbox.deleteTree(temporaryHome);
        }
    }
}
