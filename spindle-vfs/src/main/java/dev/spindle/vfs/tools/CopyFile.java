package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.core.files.SessionFiles;

/** Copies a file or a whole directory; refuses to overwrite an existing destination. */
public final class CopyFile extends VfsTool {
    public CopyFile() {
        super("copy_file", "Copy a file or directory (the destination must not exist)",
                Schema.object()
                        .required("source", Schema.string("Path of the file or directory to copy"))
                        .required("destination", Schema.string("Path of the copy"))
                        .build(),
                Schema.hints(false, false, false));
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        String source = args.string("source");
        String destination = args.string("destination");
        files.transfer(files.file(source), files.file(destination), true);
        return "Successfully copied " + source + " to " + destination;
    }
}
