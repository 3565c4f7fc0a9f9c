package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.core.files.SessionFiles;
import java.nio.charset.StandardCharsets;

/** Parity: {@code Successfully wrote <N> bytes to <path>}, N counting UTF-8 bytes. */
public final class WriteFile extends VfsTool {
    public WriteFile() {
        super("write_file", "Write content to a file",
                Schema.object()
                        .required("file_path", Schema.string("Path to the file to write"))
                        .required("content", Schema.string("Content to write to the file"))
                        .build(),
                Schema.hints(false, true, true));
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        String path = args.string("file_path");
        int bytes = files.write(files.file(path), args.text("content").getBytes(StandardCharsets.UTF_8));
        return "Successfully wrote " + bytes + " bytes to " + path;
    }
}
