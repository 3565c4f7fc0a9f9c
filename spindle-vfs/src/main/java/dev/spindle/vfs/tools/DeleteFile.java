package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.core.files.SessionFiles;

/** Parity: {@code Successfully deleted <path>}. */
public final class DeleteFile extends VfsTool {
    public DeleteFile() {
        super("delete_file", "Delete a file",
                Schema.object().required("file_path", Schema.string("Path to the file to delete")).build(),
                Schema.hints(false, true, false));
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        String path = args.string("file_path");
        files.delete(files.file(path));
        return "Successfully deleted " + path;
    }
}
