package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.core.files.SessionFiles;

/** Moves or renames a file or a directory; refuses to overwrite an existing destination. */
public final class MoveFile extends VfsTool {
    public MoveFile() {
        super("move_file", "Move or rename a file or directory (the destination must not exist)",
                Schema.object()
                        .required("source", Schema.string("Path of the file or directory to move"))
                        .required("destination", Schema.string("New path"))
                        .build(),
                Schema.hints(false, true, false));
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        String source = args.string("source");
        String destination = args.string("destination");
        files.transfer(files.file(source), files.file(destination), false);
        return "Successfully moved " + source + " to " + destination;
    }
}
