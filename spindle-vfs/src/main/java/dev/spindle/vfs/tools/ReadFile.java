package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.core.files.SessionFiles;

/** Parity: the file's content as text, or {@code File not found: <path>}; a file that is not UTF-8 text (a command wrote bytes) is {@code BinaryFile}, with its size, rather than mangled text. */
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
