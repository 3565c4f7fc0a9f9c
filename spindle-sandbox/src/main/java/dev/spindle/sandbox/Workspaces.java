package dev.spindle.sandbox;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.files.SessionFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The local copies of sessions' files that sandboxed commands work in: one directory per live session on
 * this instance, brought up to date from the store before a command (only when the files' revision moved:
 * one read otherwise) and compared with what it was after it, so that only what the command changed goes
 * back to the store, in one atomic write within the session's quotas and path rules ({@link LocalWorkspace}).
 * Where the host lets Spindle mount, each copy is a tmpfs of the session's quota, so a command cannot fill
 * the host's disk; the copies together are bounded ({@code maxBytes}): the least recently used idle ones are
 * dropped and rebuilt from the store on their next use.
 */
public final class Workspaces implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Workspaces.class.getName());

    private final Path root;
    private final long maxBytes;
    private final Mounts mounts;
    private final Bases bases;
    private final Map<String, LocalWorkspace> live = new ConcurrentHashMap<>();

    public Workspaces(Path root, long maxBytes) {
        try {
            this.root = Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the workspaces folder " + root, e);
        }
        this.maxBytes = maxBytes;
        this.mounts = Mounts.probe(this.root);
        try {
            // overlay options separate paths with ',' and ':': a root naming either cannot hold bases
            this.bases = mounts.available() && !this.root.toString().matches(".*[,:\\s].*") ? new Bases(this.root.resolve("bases")) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the bases folder under " + root, e);
        }
    }

    /** How many shared bases the workspaces stand on (forks of one template share one). */
    public int bases() {
        return bases == null ? 0 : bases.count();
    }

    /** True when each workspace is a tmpfs of its own (bounded by the session's quota). */
    public boolean mounted() {
        return mounts.available();
    }

    /**
     * Runs {@code work} in the session's workspace once it matches the store, then commits what the work
     * changed. The workspace belongs to one {@code incarnation} of the session: a later session of the same
     * id (closed and made again, here or on another instance) never meets the earlier one's files, processes
     * or attachments. Calls of one session take turns. When {@code work} throws, or the
     * commit is refused (quota, path rules, a conflict), the store stays as it was, the workspace is put back
     * in step with it, and the failure is thrown.
     */
    public <T> Result<T> run(String session, String incarnation, SessionFiles files, Function<LocalWorkspace, T> work) {
        return run(session, incarnation, files, work, true);
    }

    /**
     * Like {@link #run}, but whatever {@code work} changes is thrown away afterwards: the store is never
     * written (a verifier running a task's tests looks at the final state without changing it).
     */
    public <T> T look(String session, String incarnation, SessionFiles files, Function<LocalWorkspace, T> work) {
        return run(session, incarnation, files, work, false).value();
    }

    private <T> Result<T> run(String session, String incarnation, SessionFiles files, Function<LocalWorkspace, T> work, boolean commit) {
        LocalWorkspace workspace = live.computeIfAbsent(session, k -> create(k, incarnation, files.quotas()));
        if (!workspace.incarnation().equals(incarnation)) { // the session was closed and made again
            drop(session, workspace);
            return run(session, incarnation, files, work, commit);
        }
        workspace.lock();
        try {
            if (workspace.closed()) { // dropped while we waited: start again with a fresh one
                workspace.unlock();
                return run(session, incarnation, files, work, commit);
            }
            workspace.catchUp(files);
            T value;
            try {
                value = work.apply(workspace);
            } catch (RuntimeException e) { // a failed command keeps none of its changes
                workspace.rollBack(files);
                throw e;
            }
            if (!commit) {
                workspace.rollBack(files);
                return new Result<>(value, List.of());
            }
            List<String> notes = workspace.commit(files);
            return new Result<>(value, notes);
        } finally {
            if (workspace.isHeldByCurrentThread()) {
                workspace.unlock();
            }
            evictBeyondBudget();
        }
    }

    /** What the work answered, and what of its changes was not kept (a link, an unusable name), to tell the caller. */
    public record Result<T>(T value, List<String> notes) {}

    private LocalWorkspace create(String session, String incarnation, Quotas quotas) {
        Path dir = root.resolve("ws-" + Integer.toHexString(session.hashCode()) + "-" + Long.toHexString(System.nanoTime()));
        try {
            Files.createDirectories(dir);
            if (mounts.available()) {
                mounts.tmpfs(dir, quotas.maxTotalBytes() + (16L << 20), quotas.maxEntries() + 1024);
            }
            return new LocalWorkspace(dir, incarnation, quotas, mounts.available() ? mounts : null, bases);
        } catch (IOException e) {
            throw new SpindleException(ErrorType.IOError, "cannot make a local workspace: " + e.getMessage());
        }
    }

    /** Drops the session's workspace, with the processes and attachments it holds. */
    public void forget(String session) {
        LocalWorkspace workspace = live.get(session);
        if (workspace != null) {
            drop(session, workspace);
        }
    }

    private void drop(String key, LocalWorkspace workspace) {
        workspace.lock();
        try {
            live.remove(key, workspace);
            if (!workspace.closed()) {
                workspace.destroy();
            }
        } finally {
            workspace.unlock();
        }
    }

    private void evictBeyondBudget() {
        long used = live.values().stream().mapToLong(LocalWorkspace::bytes).sum();
        if (used <= maxBytes) {
            return;
        }
        List<Map.Entry<String, LocalWorkspace>> idle = new ArrayList<>(live.entrySet());
        idle.sort(Comparator.comparingLong(e -> e.getValue().lastUsed()));
        for (Map.Entry<String, LocalWorkspace> entry : idle) {
            if (used <= maxBytes) {
                break;
            }
            LocalWorkspace workspace = entry.getValue();
            if (workspace.tryLock()) {
                try {
                    long bytes = workspace.bytes();
                    live.remove(entry.getKey(), workspace);
                    workspace.destroy();
                    used -= bytes;
                    LOG.fine(() -> "event=workspace_evicted bytes=" + bytes);
                } finally {
                    workspace.unlock();
                }
            }
        }
    }

    /** The workspaces on this instance and their bytes, for /health and the benchmarks. */
    public Map<String, Long> usage() {
        Map<String, Long> usage = new LinkedHashMap<>();
        live.forEach((key, workspace) -> usage.put(key, workspace.bytes()));
        return usage;
    }

    @Override
    public void close() {
        for (var entry : List.copyOf(live.entrySet())) {
            drop(entry.getKey(), entry.getValue());
        }
        try {
            Sandbox.deleteTree(root);
        } catch (UncheckedIOException e) {
            LOG.warning(() -> "event=workspaces_left path=" + root + " error=" + e.getMessage());
        }
    }
}
