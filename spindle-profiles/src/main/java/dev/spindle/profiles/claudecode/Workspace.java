package dev.spindle.profiles.claudecode;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;

/**
 * Claude Code's paths are absolute, as its Bash sees them: the session's files are {@code /workspace}
 * (the shell's working directory), so {@code /workspace/src/a.py} is the session's {@code src/a.py}. A
 * relative path is taken from {@code /workspace}; an absolute one elsewhere is refused.
 */
final class Workspace {
    static final String ROOT = "/workspace";

    private Workspace() {}

    static VPath file(SessionFiles files, String raw) {
        return files.file(inside(raw));
    }

    static VPath directory(SessionFiles files, String raw) {
        return files.directory(raw == null ? null : inside(raw));
    }

    /** The absolute path Claude Code shows for a session key: {@code /workspace/src/a.py}. */
    static String absolute(String key) {
        return key.isEmpty() ? ROOT : ROOT + "/" + key;
    }

    private static String inside(String raw) {
        if (raw.equals(ROOT) || raw.startsWith(ROOT + "/")) {
            return raw.substring(ROOT.length());
        }
        if (raw.startsWith("/")) {
            throw new SpindleException(ErrorType.PermissionDenied,
                    "Path " + raw + " is outside the working directory " + ROOT + ", which holds every file of this session");
        }
        return raw;
    }
}
