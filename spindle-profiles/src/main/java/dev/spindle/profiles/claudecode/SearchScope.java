package dev.spindle.profiles.claudecode;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import java.time.Duration;

/**
 * Where Glob, Grep and LS look: a directory of the session's ({@code path}, else {@code /workspace}), and
 * the bounds their searches share with the VFS's {@code search_files}: one deadline for a whole search,
 * at most so many lines in an answer.
 */
record SearchScope(VPath directory) {
    static final Duration DEADLINE = Duration.ofSeconds(2);
    static final int MAX_RESULTS = 1000;

    static SearchScope of(SessionFiles files, String path) {
        VPath dir = Workspace.directory(files, path);
        if (!dir.isRoot()) {
            if (files.isFile(dir)) {
                throw new SpindleException(ErrorType.NotADirectory, "Path is not a directory: " + path);
            }
            if (!files.isDirectory(dir)) {
                throw new SpindleException(ErrorType.FileNotFound, "Directory does not exist: " + path);
            }
        }
        return new SearchScope(dir);
    }

    /** The key of {@code key} below the directory, or null when it is not below it. */
    String relative(String key) {
        if (directory.isRoot()) {
            return key;
        }
        return key.startsWith(directory.childPrefix()) ? key.substring(directory.childPrefix().length()) : null;
    }
}
