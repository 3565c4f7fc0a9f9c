package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.files.Glob;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import java.util.function.Predicate;

/**
 * Parity with no arguments: a JSON array of every file path ({@code ["a.txt","src/b.py"]}), here in
 * path order rather than the reference's first-write order. Ours: narrow it to a directory, to its
 * direct children, or to a glob.
 */
public final class ListFiles extends VfsTool {
    public ListFiles() {
        super("list_files", "List files in the session as a JSON array of paths",
                Schema.object()
                        .optional("directory", Schema.string("Directory to list (default: the root /)"))
                        .optional("recursive", Schema.bool("Include files in subdirectories", true))
                        .optional("pattern", Schema.string("Glob the files must match, e.g. *.py or src/**/*.ts"))
                        .build(),
                Schema.hints(true, false, true));
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        VPath dir = files.directory(args.string("directory", null));
        if (!dir.isRoot()) {
            files.requireDirectory(dir);
        }
        boolean recursive = args.flag("recursive", true);
        String pattern = args.string("pattern", null);
        Predicate<String> matches = pattern == null ? key -> true : Glob.matcher(pattern);
        String prefix = dir.childPrefix();
        var paths = Json.array();
        files.sizes().keySet().stream()
                .filter(key -> key.startsWith(prefix))
                .filter(key -> recursive || key.indexOf('/', prefix.length()) < 0)
                .filter(matches)
                .forEach(paths::add);
        return Json.write(paths);
    }
}
