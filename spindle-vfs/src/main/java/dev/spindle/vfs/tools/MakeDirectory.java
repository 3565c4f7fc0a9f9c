package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.core.files.SessionFiles;

/** Creates a directory and any missing parents; succeeds (saying so) when it already exists. */
public final class MakeDirectory extends VfsTool {
    public MakeDirectory() {
        super("make_directory", "Create a directory, including missing parent directories",
                Schema.object().required("directory", Schema.string("Path of the directory to create", 1)).build(),
                Schema.hints(false, false, true));
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        String path = args.string("directory");
        return files.makeDirectory(files.directory(path))
                ? "Successfully created directory " + path
                : "Directory " + path + " already exists";
    }
}
