package dev.spindle.core;

/**
 * A stored snapshot of a session: its id, the SHA-256 digest of its archive ({@code sha256:<hex>}) and
 * the archive's size in bytes.
 */
public record SnapshotInfo(String snapshotId, String digest, long bytes) {}
