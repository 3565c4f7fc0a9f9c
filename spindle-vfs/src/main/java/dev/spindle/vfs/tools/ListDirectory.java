package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import java.util.Map;
import java.util.TreeMap;

/** One line per entry, directories first: {@code [DIR] src/} and {@code [FILE] main.py (120 bytes)}. */
public final class ListDirectory extends VfsTool {
    public ListDirectory() {
        super("list_directory", "List the files and subdirectories directly inside a directory",
                Schema.object().optional("directory", Schema.string("Directory to list (default: the root /)")).build(),
                Schema.hints(true, false, true));
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        VPath dir = files.directory(args.string("directory", null));
        files.requireDirectory(dir);
        String prefix = dir.childPrefix();
        TreeMap<String, Integer> fileSizes = new TreeMap<>();
        TreeMap<String, Boolean> subdirs = new TreeMap<>();
        files.sizes().forEach((key, size) -> {
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    fileSizes.put(rest, size);
                } else {
                    subdirs.put(rest.substring(0, slash), true);
                }
            }
        });
        files.explicitDirectories().keySet().stream()
                .filter(key -> key.startsWith(prefix) && key.length() > prefix.length())
                .map(key -> key.substring(prefix.length()).split("/", 2)[0])
                .forEach(name -> subdirs.put(name, true));
        if (fileSizes.isEmpty() && subdirs.isEmpty()) {
            return "(empty directory)";
        }
        StringBuilder out = new StringBuilder();
        subdirs.keySet().forEach(name -> out.append("[DIR] ").append(name).append("/\n"));
        for (Map.Entry<String, Integer> file : fileSizes.entrySet()) {
            out.append("[FILE] ").append(file.getKey()).append(" (").append(file.getValue()).append(" bytes)\n");
        }
        return out.toString().stripTrailing();
    }
}
