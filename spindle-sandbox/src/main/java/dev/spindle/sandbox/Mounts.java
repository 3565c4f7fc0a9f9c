package dev.spindle.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Size-capped tmpfs mounts for local workspaces, by the host's {@code mount}: possible where Spindle runs
 * as root (CI, a server), found out once by mounting a probe. Without them a workspace is a plain folder.
 */
final class Mounts {
    private static final Logger LOG = Logger.getLogger(Mounts.class.getName());
    private final boolean available;

    private Mounts(boolean available) {
        this.available = available;
    }

    static Mounts probe(Path root) {
        Path probe = root.resolve("probe-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(probe);
            Mounts mounts = new Mounts(true);
            mounts.tmpfs(probe, 1 << 20, 16);
            mounts.unmount(probe);
            return mounts;
        } catch (IOException e) {
            LOG.info(() -> "event=workspace_mounts_unavailable reason=\"" + e.getMessage() + "\" fallback=folders");
            return new Mounts(false);
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException e) {
                LOG.fine(() -> "event=probe_left path=" + probe);
            }
        }
    }

    boolean available() {
        return available;
    }

    void tmpfs(Path dir, long bytes, int inodes) throws IOException {
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",nr_inodes=" + inodes + ",mode=0755,nosuid,nodev", "spindle-workspace", dir.toString()));
    }

    /** {@code lower} read-only below {@code upper}'s changes, at {@code target}; directories may be renamed (redirect_dir). */
    void overlay(Path lower, Path upper, Path work, Path target) throws IOException {
        run(List.of("mount", "-t", "overlay", "-o", "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work + ",redirect_dir=on",
                "spindle-workspace", target.toString()));
    }

    void unmount(Path dir) throws IOException {
        run(List.of("umount", "--lazy", dir.toString()));
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": " + (output.isEmpty() ? "exit " + process.exitValue() : output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
