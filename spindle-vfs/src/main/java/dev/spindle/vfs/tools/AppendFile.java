package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.core.files.SessionFiles;
import java.nio.charset.StandardCharsets;

/** Appends text to a file, creating it when absent. */
public final class AppendFile extends VfsTool {
    public AppendFile() {
        super("append_file", "Append content to the end of a file (created if missing)",
                Schema.object()
                        .required("file_path", Schema.string("Path to the file to append to"))
                        .required("content", Schema.string("Content to append"))
                        .build(),
                Schema.hints(false, false, false));
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        String path = args.string("file_path");
        byte[] added = args.text("content").getBytes(StandardCharsets.UTF_8);
        int size = files.update(files.file(path), true, old -> concat(old, added));
        return "Successfully appended " + added.length + " bytes to " + path + " (now " + size + " bytes)";
    }

    private static byte[] concat(byte[] old, byte[] added) {
        if (old == null) {
            return added;
        }
        byte[] joined = new byte[old.length + added.length];
        System.arraycopy(old, 0, joined, 0, old.length);
        System.arraycopy(added, 0, joined, old.length, added.length);
        return joined;
    }
}
