package dev.spindle.core.files;

/**
 * Per-session limits on the virtual filesystem. Entries count files and explicit (empty) directories.
 *
 * @param maxFileBytes largest single file, in bytes (default 4 MiB)
 * @param maxEntries most files and directories one session may hold (default 10,000)
 * @param maxTotalBytes most bytes of file content one session may hold (default 64 MiB)
 */
public record Quotas(long maxFileBytes, int maxEntries, long maxTotalBytes) {
    public static final Quotas DEFAULTS = new Quotas(4L << 20, 10_000, 64L << 20);

    public Quotas {
        if (maxFileBytes <= 0 || maxEntries <= 0 || maxTotalBytes <= 0) {
            throw new IllegalArgumentException("quotas must be positive: " + maxFileBytes + ", " + maxEntries + ", " + maxTotalBytes);
        }
    }
}
