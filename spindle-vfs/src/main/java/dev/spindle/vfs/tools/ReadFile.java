package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.core.files.SessionFiles;

/** Parity: the file's content as text (invalid UTF-8 replaced), or {@code File not found: <path>}. */
public final class ReadFile extends VfsTool {
    public ReadFile() {
        super("read_file", "Read content from a file",
                Schema.object().required("file_path", Schema.string("Path to the file to read")).build(),
                Schema.hints(true, false, true));
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        return files.readText(files.file(args.string("file_path")));
    }
}
