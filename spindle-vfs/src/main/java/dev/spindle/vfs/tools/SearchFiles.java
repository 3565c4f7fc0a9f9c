package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.core.Workload;
import dev.spindle.core.files.Glob;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import dev.spindle.core.text.RegexDeadline;
import dev.spindle.core.text.Text;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * grep over the session: one {@code path:line:text} line per matching line, in path and line order.
 * The whole search runs against one deadline, so a catastrophic pattern answers {@code Timeout} instead
 * of holding a worker.
 */
public final class SearchFiles extends VfsTool {
    static final int MAX_MATCHES = 1000;
    static final Duration DEADLINE = Duration.ofSeconds(2);

    public SearchFiles() {
        super("search_files", "Search file contents with a regular expression; answers path:line:text lines",
                Schema.object()
                        .required("pattern", Schema.string("Regular expression (Java syntax) to look for in each line", 1))
                        .optional("directory", Schema.string("Directory to search (default: the root /)"))
                        .optional("glob", Schema.string("Only search files matching this glob, e.g. *.py"))
                        .build(),
                Schema.hints(true, false, true));
    }

    /** Runs a regex against every line of every file: on a worker, whatever the store. */
    @Override
    public Workload workload() {
        return Workload.OUTSIDE;
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        Pattern regex = RegexDeadline.compile(args.string("pattern"));
        VPath dir = files.directory(args.string("directory", null));
        if (!dir.isRoot()) {
            files.requireDirectory(dir);
        }
        String glob = args.string("glob", null);
        Predicate<String> included = glob == null ? key -> true : Glob.matcher(glob);
        RegexDeadline deadline = RegexDeadline.in(DEADLINE);
        StringBuilder out = new StringBuilder();
        int matches = 0;
        for (var file : files.contents(dir).entrySet()) {
            if (!included.test(file.getKey())) {
                continue;
            }
            var text = Text.utf8(file.getValue());
            if (text.isEmpty()) {
                continue; // as grep -I: a binary file has no lines to show
            }
            String[] lines = text.get().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (deadline.find(regex, lines[i])) {
                    if (++matches <= MAX_MATCHES) {
                        out.append(file.getKey()).append(':').append(i + 1).append(':').append(lines[i]).append('\n');
                    }
                }
            }
        }
        if (matches == 0) {
            return "No matches found";
        }
        if (matches > MAX_MATCHES) {
            out.append("... ").append(matches - MAX_MATCHES).append(" more matches not shown; narrow the pattern, directory or glob\n");
        }
        return out.toString().stripTrailing();
    }
}
