package dev.spindle.profiles.claudecode;

import dev.spindle.core.Arguments;
import dev.spindle.core.ToolContext;
import dev.spindle.core.Workload;
import dev.spindle.core.files.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code Glob {pattern, path?}}: the files below {@code path} whose path from there matches, as absolute
 * paths one a line; at most 100, then Claude Code's truncation note. A pattern without {@code /} matches
 * names directly in the directory, as node's glob does ({@code **}{@code /*.py} for every depth).
 */
final class GlobTool extends ClaudeCodeTool {
    static final int LIMIT = 100;

    GlobTool() {
        super("Glob");
    }

    /** Matches every path of the session. */
    @Override
    public Workload workload() {
        return Workload.OUTSIDE;
    }

    @Override
    String run(ToolContext context, Arguments args) {
        String pattern = args.string("pattern");
        SearchScope scope = SearchScope.of(context.files(), args.string("path", null));
        Predicate<String> matches = Glob.matcher(pattern);
        boolean topLevelOnly = !pattern.contains("/");
        List<String> found = new ArrayList<>();
        boolean truncated = false;
        for (String key : context.files().sizes().keySet()) {
            String relative = scope.relative(key);
            if (relative == null || (topLevelOnly && relative.contains("/")) || !matches.test(relative)) {
                continue;
            }
            if (found.size() == LIMIT) {
                truncated = true;
                break;
            }
            found.add(Workspace.absolute(key));
        }
        if (found.isEmpty()) {
            return "No files found";
        }
        String listed = String.join("\n", found);
        return truncated ? listed + "\n(Results are truncated. Consider using a more specific path or pattern.)" : listed;
    }
}
