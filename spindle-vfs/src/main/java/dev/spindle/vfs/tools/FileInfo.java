package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;

/**
 * Facts about a path as a JSON object: for a file {@code {path, type:"file", size, lines}} (size in
 * bytes, lines counted as an editor shows them); for a directory {@code {path, type:"directory", files}}.
 */
public final class FileInfo extends VfsTool {
    public FileInfo() {
        super("file_info", "Size in bytes, line count and type (file or directory) of a path, as JSON",
                Schema.object().required("file_path", Schema.string("Path of the file or directory")).build(),
                Schema.hints(true, false, true));
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        VPath path = files.directory(args.string("file_path"));
        var info = Json.object().put("path", path.isRoot() ? "/" : path.key());
        if (!path.isRoot() && files.isFile(path)) {
            byte[] content = files.read(path);
            return Json.write(info.put("type", "file").put("size", content.length).put("lines", lines(content)));
        }
        if (files.isDirectory(path)) {
            String prefix = path.childPrefix();
            long count = files.sizes().keySet().stream().filter(k -> k.startsWith(prefix)).count();
            return Json.write(info.put("type", "directory").put("files", count));
        }
        throw new SpindleException(ErrorType.FileNotFound, "No such file or directory: " + args.string("file_path"));
    }

    private static int lines(byte[] content) {
        if (content.length == 0) {
            return 0;
        }
        int lines = 0;
        for (byte b : content) {
            if (b == '\n') {
                lines++;
            }
        }
        return content[content.length - 1] == '\n' ? lines : lines + 1;
    }
}
