package dev.spindle.profiles.claudecode;

import dev.spindle.core.Arguments;
import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolContext;
import dev.spindle.core.Workload;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Read, Write, Edit and MultiEdit: one file of the session's, named by {@code file_path}, its missing-file
 * and directory errors in Claude Code's words. Writes go through {@link #change}, which holds the
 * read-before-write rule.
 */
abstract class FileTool extends ClaudeCodeTool {
    FileTool(String name) {
        super(name);
    }

    /** Works only on the session's files and state, briefly. */
    @Override
    public final Workload workload() {
        return Workload.SESSION_DATA;
    }

    @Override
    final String run(ToolContext context, Arguments args) {
        SessionFiles files = context.files();
        VPath path = Workspace.file(files, args.string("file_path"));
        try {
            return run(files, new ReadFiles(context.state()), path, args);
        } catch (SpindleException e) {
            if (e.type() == ErrorType.FileNotFound) {
                throw new SpindleException(ErrorType.FileNotFound, "File does not exist.");
            }
            if (e.type() == ErrorType.IsADirectory) {
                throw new SpindleException(ErrorType.IsADirectory, "EISDIR: illegal operation on a directory, " + Workspace.absolute(path.key()));
            }
            throw e;
        }
    }

    abstract String run(SessionFiles files, ReadFiles read, VPath path, Arguments args);

    /** What a change found and made. */
    record Changed(boolean existed, String before, String after) {}

    /**
     * Changes the file in one atomic step: an existing one only when this session saw its current content
     * ({@link ReadFiles}), a missing one only when {@code create}; the result is remembered as seen.
     */
    static Changed change(SessionFiles files, ReadFiles read, VPath path, boolean create, UnaryOperator<String> edit) {
        byte[] seen = read.seen(path);
        Changed[] changed = new Changed[1];
        files.update(path, create, current -> {
            String before = "";
            if (current != null) {
                ReadFiles.requireSeen(seen, current);
                before = SessionFiles.text(path, current);
            }
            String after = edit.apply(before);
            changed[0] = new Changed(current != null, before, after);
            return after.getBytes(StandardCharsets.UTF_8);
        });
        read.remember(path, changed[0].after.getBytes(StandardCharsets.UTF_8));
        return changed[0];
    }

    /** Claude Code's answer to a change that landed: the edited part of the file, numbered. */
    static String updated(VPath path, String snippet) {
        return "The file " + Workspace.absolute(path.key()) + " has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\n" + snippet;
    }
}
