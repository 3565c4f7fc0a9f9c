package dev.spindle.profiles.claudecode;

import dev.spindle.core.Arguments;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;

/** {@code Write {file_path, content}}: creates the file, or replaces one this session has read. */
final class WriteTool extends FileTool {
    WriteTool() {
        super("Write");
    }

    @Override
    String run(SessionFiles files, ReadFiles read, VPath path, Arguments args) {
        String content = args.text("content");
        Changed changed = change(files, read, path, true, before -> content);
        return changed.existed() ? updated(path, NumberedLines.whole(content))
                : "File created successfully at: " + Workspace.absolute(path.key());
    }
}
