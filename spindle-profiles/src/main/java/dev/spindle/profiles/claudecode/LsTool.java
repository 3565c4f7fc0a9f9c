package dev.spindle.profiles.claudecode;

import dev.spindle.core.Arguments;
import dev.spindle.core.ToolContext;
import dev.spindle.core.Workload;
import dev.spindle.core.files.Glob;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * {@code LS {path, ignore?}}: the tree below {@code path} as Claude Code draws it ({@code - name}, two
 * spaces a level, directories ending in {@code /}), without hidden entries and {@code __pycache__}, nor
 * what matches an {@code ignore} glob; past 1000 entries, its note and the first 1000.
 */
final class LsTool extends ClaudeCodeTool {
    static final int LIMIT = 1000;

    LsTool() {
        super("LS");
    }

    /** Walks every path of the session. */
    @Override
    public Workload workload() {
        return Workload.OUTSIDE;
    }

    @Override
    String run(ToolContext context, Arguments args) {
        SearchScope scope = SearchScope.of(context.files(), args.string("path"));
        List<Predicate<String>> ignored = args.json().path("ignore").valueStream().map(g -> Glob.matcher(g.asString())).toList();
        TreeSet<String> entries = new TreeSet<>();
        var keys = new TreeSet<>(context.files().sizes().keySet());
        keys.addAll(context.files().explicitDirectories().keySet().stream().map(k -> k + "/").toList());
        for (String key : keys) {
            String relative = scope.relative(key);
            if (relative == null || relative.isEmpty()) {
                continue;
            }
            String[] parts = relative.split("/");
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].startsWith(".") || parts[i].equals("__pycache__") || matchesAny(ignored, relative.substring(0, prefix.length() + parts[i].length()))) {
                    break;
                }
                prefix.append(parts[i]);
                boolean isDirectory = i < parts.length - 1 || key.endsWith("/");
                entries.add(prefix + (isDirectory ? "/" : ""));
                prefix.append('/');
            }
        }
        StringBuilder out = new StringBuilder();
        if (entries.size() > LIMIT) {
            out.append("There are more than ").append(LIMIT).append(" files in the repository. Use the LS tool (passing a specific path), Bash tool, "
                    + "and other tools to explore nested directories. The first ").append(LIMIT).append(" files and directories are included below:\n\n");
        }
        out.append("- ").append(Workspace.absolute(scope.directory().key())).append("/\n");
        entries.stream().limit(LIMIT).forEach(entry -> {
            String trimmed = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
            int depth = (int) trimmed.chars().filter(c -> c == '/').count();
            out.append("  ".repeat(depth + 1)).append("- ").append(trimmed.substring(trimmed.lastIndexOf('/') + 1)).append(entry.endsWith("/") ? "/" : "").append('\n');
        });
        return out.toString();
    }

    private static boolean matchesAny(List<Predicate<String>> globs, String relative) {
        return globs.stream().anyMatch(g -> g.test(relative));
    }
}
