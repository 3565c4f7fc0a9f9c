package dev.spindle.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * A cgroup per sandboxed command, holding its memory and process limits, so that a fork bomb or a memory
 * bomb stops at the command's own limit and every process it started can be found and killed. Works with
 * cgroup v2 (one hierarchy) and v1 (the {@code memory} and {@code pids} hierarchies), under the cgroup
 * this server runs in; {@link #detect} answers empty, with the reason logged, where the host does not
 * let it create one (an unprivileged container), and the sandbox then falls back to resource limits.
 */
public final class Cgroups {
    private static final Logger LOG = Logger.getLogger(Cgroups.class.getName());
    private static final Path MOUNT = Path.of("/sys/fs/cgroup");

    /** Where this server's command groups are made: one directory per hierarchy (v2: one; v1: memory, pids). */
    private final boolean v2;
    private final Path memoryParent;
    private final Path pidsParent;

    private Cgroups(boolean v2, Path memoryParent, Path pidsParent) {
        this.v2 = v2;
        this.memoryParent = memoryParent;
        this.pidsParent = pidsParent;
    }

    /**
     * The command groups this host allows, checked by making and removing one; empty (and why, in the log)
     * otherwise. The probe's name is unique to the call: two sandboxes opening at once in one process (or a
     * probe an earlier process of the same pid left) would otherwise meet it and fall back to rlimits.
     */
    public static Optional<Cgroups> detect() {
        try {
            Cgroups cgroups = Files.exists(MOUNT.resolve("cgroup.controllers")) ? v2() : v1();
            try (Group probe = cgroups.create("probe-" + UUID.randomUUID(), 64L << 20, 16)) {
                probe.procsFiles();
            }
            return Optional.of(cgroups);
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            LOG.info(() -> "event=cgroups_unavailable reason=\"" + e.getMessage() + "\" fallback=rlimits");
            return Optional.empty();
        }
    }

    private static Cgroups v2() throws IOException {
        Path own = MOUNT.resolve(ownPath("").substring(1));
        Path parent = own.resolve("spindle-sandbox");
        Files.createDirectories(parent);
        // a group with children may hold no processes itself, so the limits live one level down, under ours
        enable(own);
        enable(parent);
        return new Cgroups(true, parent, parent);
    }

    private static void enable(Path group) throws IOException {
        String enabled = Files.readString(group.resolve("cgroup.subtree_control"));
        if (!enabled.contains("memory") || !enabled.contains("pids")) {
            Files.writeString(group.resolve("cgroup.subtree_control"), "+memory +pids");
        }
    }

    private static Cgroups v1() throws IOException {
        Path memory = MOUNT.resolve("memory").resolve(ownPath("memory").substring(1)).resolve("spindle-sandbox");
        Path pids = MOUNT.resolve("pids").resolve(ownPath("pids").substring(1)).resolve("spindle-sandbox");
        Files.createDirectories(memory);
        Files.createDirectories(pids);
        return new Cgroups(false, memory, pids);
    }

    /** This process's cgroup in one hierarchy ({@code ""} names v2's), from {@code /proc/self/cgroup}. */
    private static String ownPath(String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && (controller.isEmpty() ? parts[0].equals("0") && parts[1].isEmpty()
                    : List.of(parts[1].split(",")).contains(controller))) {
                return parts[2];
            }
        }
        throw new IOException("this process is in no " + (controller.isEmpty() ? "cgroup v2" : controller + " cgroup"));
    }

    /** A new group with these limits; the command joins it by writing its pid to each of {@link Group#procsFiles}. */
    public Group create(String name, long memoryBytes, int processes) {
        try {
            Path memory = Files.createDirectory(memoryParent.resolve(name));
            Path pids = v2 ? memory : Files.createDirectory(pidsParent.resolve(name));
            Group group = new Group(memory, pids);
            try {
                if (v2) {
                    Files.writeString(memory.resolve("memory.max"), Long.toString(memoryBytes));
                    Files.writeString(memory.resolve("memory.swap.max"), "0");
                } else {
                    Files.writeString(memory.resolve("memory.limit_in_bytes"), Long.toString(memoryBytes));
                    Path swap = memory.resolve("memory.memsw.limit_in_bytes");
                    if (Files.exists(swap)) {
                        Files.writeString(swap, Long.toString(memoryBytes));
                    }
                }
                Files.writeString(pids.resolve("pids.max"), Integer.toString(processes));
            } catch (IOException | RuntimeException e) {
                group.close();
                throw e;
            }
            return group;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the command's cgroup " + name + ": " + e.getMessage(), e);
        }
    }

    /** One command's group: where to join it, whether it ran out of memory, and its removal (killing what is left). */
    public final class Group implements AutoCloseable {
        private final Path memory;
        private final Path pids;

        private Group(Path memory, Path pids) {
            this.memory = memory;
            this.pids = pids;
        }

        public List<Path> procsFiles() {
            return v2 ? List.of(memory.resolve("cgroup.procs")) : List.of(memory.resolve("cgroup.procs"), pids.resolve("cgroup.procs"));
        }

        /** How many processes of the group the kernel has killed for passing its memory limit, since it was made. */
        public long oomKills() {
            try {
                Path events = memory.resolve(v2 ? "memory.events" : "memory.oom_control");
                for (String line : Files.readAllLines(events)) {
                    if (line.startsWith("oom_kill ")) {
                        return Long.parseLong(line.substring("oom_kill ".length()).trim());
                    }
                }
                return 0;
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
        }

        /** Kills whatever still runs in the group (nothing should: the PID namespace died with the command) and removes it. */
        @Override
        public void close() {
            for (int attempt = 0; attempt < 50; attempt++) {
                killAll();
                if (remove(memory) && (v2 || remove(pids))) {
                    return;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            LOG.warning(() -> "event=cgroup_left_behind path=" + memory);
        }

        /** Kills every process in the group, leaving the group for the next run. */
        public void killAll() {
            for (Path procs : procsFiles()) {
                for (long pid : members(procs)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }

        private static List<Long> members(Path procs) {
            List<Long> pids = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(procs)) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.trim()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // gone already
            }
            return pids;
        }

        private static boolean remove(Path group) {
            try {
                Files.deleteIfExists(group);
                return true;
            } catch (IOException e) {
                return false; // still busy: a process is exiting
            }
        }
    }
}
