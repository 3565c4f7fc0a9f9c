package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Schema;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.Glob;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * grep over the session: one {@code path:line:text} line per matching line, in path and line order.
 * The regex runs against a deadline, so a catastrophic pattern answers {@code Timeout} instead of
 * holding a worker.
 */
public final class SearchFiles extends VfsTool {
    static final int MAX_MATCHES = 1000;
    static final long DEADLINE_MILLIS = 2000;

    public SearchFiles() {
        super("search_files", "Search file contents with a regular expression; answers path:line:text lines",
                Schema.object()
                        .required("pattern", Schema.string("Regular expression (Java syntax) to look for in each line", 1))
                        .optional("directory", Schema.string("Directory to search (default: the root /)"))
                        .optional("glob", Schema.string("Only search files matching this glob, e.g. *.py"))
                        .build(),
                Schema.hints(true, false, true));
    }

    /** Runs a regex against every line of every file. */
    @Override
    public boolean mayBlock() {
        return true;
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        Pattern regex;
        try {
            regex = Pattern.compile(args.string("pattern"));
        } catch (PatternSyntaxException e) {
            throw new SpindleException(ErrorType.InvalidArguments, "Invalid regular expression: " + e.getDescription() + " near index " + e.getIndex());
        }
        VPath dir = files.directory(args.string("directory", null));
        if (!dir.isRoot()) {
            files.requireDirectory(dir);
        }
        String glob = args.string("glob", null);
        Predicate<String> included = glob == null ? key -> true : Glob.matcher(glob);
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        StringBuilder out = new StringBuilder();
        int matches = 0;
        for (var file : files.contents(dir).entrySet()) {
            if (!included.test(file.getKey())) {
                continue;
            }
            String[] lines = new String(file.getValue(), StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (find(regex, lines[i], deadline)) {
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

    private static boolean find(Pattern regex, String line, long deadline) {
        try {
            return regex.matcher(new Deadline(line, deadline)).find();
        } catch (StackOverflowError e) {
            // java.util.regex recurses per repetition: a long line can exhaust the stack
            throw new SpindleException(ErrorType.InvalidArguments,
                    "The regular expression is too complex for a line of " + line.length() + " characters; simplify it (avoid nested repetition)");
        }
    }

    /** A line that gives up when the search's time is over; regex matching reads it char by char. */
    private static final class Deadline implements CharSequence {
        private final CharSequence text;
        private final long deadlineMillis;
        private int reads;

        Deadline(CharSequence text, long deadlineMillis) {
            this.text = text;
            this.deadlineMillis = deadlineMillis;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0xfff) == 0 && System.currentTimeMillis() > deadlineMillis) {
                throw new SpindleException(ErrorType.Timeout, "The search took longer than " + DEADLINE_MILLIS + " ms; simplify the regular expression");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.subSequence(start, end), deadlineMillis);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
