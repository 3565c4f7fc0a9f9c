package dev.spindle.sandbox;

/**
 * What one sandboxed command may use. Memory and processes are enforced by a cgroup where the host lets
 * Spindle make one, else by {@code RLIMIT_AS} (memory only: a process count limit would count the host
 * user's processes too); the rest are resource limits every process of the command inherits.
 *
 * @param memoryBytes   all processes together (cgroup), or each process's address space (fallback)
 * @param processes     processes and threads at once; a fork bomb stops here
 * @param cpuSeconds    CPU time of each process
 * @param fileSizeBytes the largest file a process may write
 * @param openFiles     descriptors per process
 * @param tmpBytes      the size of the private {@code /tmp} (and {@code /dev/shm})
 */
public record Limits(long memoryBytes, int processes, int cpuSeconds, long fileSizeBytes, int openFiles, long tmpBytes) {
    public static final Limits DEFAULTS = new Limits(1L << 30, 256, 600, 64L << 20, 1024, 64L << 20);

    public Limits {
        if (memoryBytes < (16 << 20) || processes < 8 || cpuSeconds < 1 || fileSizeBytes < 1 || openFiles < 16 || tmpBytes < (1 << 20)) {
            throw new IllegalArgumentException("sandbox limits too small to start a shell: " + memoryBytes + " bytes of memory, "
                    + processes + " processes, " + cpuSeconds + " s of CPU, " + fileSizeBytes + " bytes per file, "
                    + openFiles + " open files, " + tmpBytes + " bytes of /tmp");
        }
    }

    public Limits withFileSizeBytes(long bytes) {
        return new Limits(memoryBytes, processes, cpuSeconds, bytes, openFiles, tmpBytes);
    }
}
