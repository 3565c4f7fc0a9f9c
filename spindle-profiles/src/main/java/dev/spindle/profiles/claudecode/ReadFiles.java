package dev.spindle.profiles.claudecode;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.VPath;
import dev.spindle.core.store.KeyValueScope;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Claude Code's read-before-write rule: Write and Edit of an existing file are refused unless this session
 * read it (or wrote it) and it has not changed since (a command, another tool). Kept as the SHA-256 of the
 * content last seen, per path, in the component's state, so a fork or snapshot keeps what was read and a
 * replay gives the same answers (a content hash, not a time).
 */
final class ReadFiles {
    static final String NOT_READ = "File has not been read yet. Read it first before writing to it.";
    static final String MODIFIED = "File has been modified since read, either by the user or by a linter. Read it again before attempting to write it.";

    private final KeyValueScope seen;

    ReadFiles(KeyValueScope state) {
        this.seen = state.companion("read");
    }

    /** What was seen of {@code path}, or null: read before the file's own write, so the check and the write are one. */
    byte[] seen(VPath path) {
        return seen.get(path.key());
    }

    /** Refuses an existing file's {@code current} content unless it is what was {@code seen}. */
    static void requireSeen(byte[] seen, byte[] current) {
        if (seen == null) {
            throw new SpindleException(ErrorType.NotAllowed, NOT_READ);
        }
        if (!Arrays.equals(seen, sha256(current))) {
            throw new SpindleException(ErrorType.Conflict, MODIFIED);
        }
    }

    void remember(VPath path, byte[] content) {
        byte[] digest = sha256(content);
        seen.write(data -> {
            data.put(path.key(), digest);
            return null;
        });
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
