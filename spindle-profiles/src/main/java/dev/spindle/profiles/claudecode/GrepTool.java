package dev.spindle.profiles.claudecode;

import dev.spindle.core.Arguments;
import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolContext;
import dev.spindle.core.Workload;
import dev.spindle.core.files.Glob;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import dev.spindle.core.text.RegexDeadline;
import dev.spindle.core.text.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code Grep {pattern, path?, glob?, type?, output_mode?, -i?, -n?, -A?, -B?, -C?, head_limit?, multiline?}}
 * as Claude Code answers ripgrep's output: {@code files_with_matches} (the default) {@code Found N files}
 * and their paths, {@code content} the matching lines ({@code path:line:text} with {@code -n}, context
 * lines with {@code -}), {@code count} {@code path:N} lines and the total. The whole search runs against
 * one deadline and answers at most {@value SearchScope#MAX_RESULTS} lines.
 */
final class GrepTool extends ClaudeCodeTool {
    GrepTool() {
        super("Grep");
    }

    /** Runs a regex against every line of every file. */
    @Override
    public Workload workload() {
        return Workload.OUTSIDE;
    }

    @Override
    String run(ToolContext context, Arguments args) {
        var json = args.json();
        String mode = args.string("output_mode", "files_with_matches");
        boolean multiline = args.flag("multiline", false);
        if (multiline && mode.equals("content")) {
            throw new SpindleException(ErrorType.InvalidArguments,
                    "multiline is supported here with output_mode files_with_matches or count; find the files so, then Read them");
        }
        Pattern regex = RegexDeadline.compile((args.flag("-i", false) ? "(?i)" : "") + (multiline ? "(?s)" : "") + args.string("pattern"));
        Searched searched = searched(context.files(), args.string("path", null), args.string("glob", null), args.string("type", null));
        boolean single = searched.oneFile();
        int after = json.path("-A").asInt(json.path("-C").asInt(0));
        int before = json.path("-B").asInt(json.path("-C").asInt(0));
        Output out = new Output(json.path("head_limit").asInt(0));
        RegexDeadline deadline = RegexDeadline.in(SearchScope.DEADLINE);
        int total = 0;
        int matchedFiles = 0;
        for (var file : searched.files().entrySet()) {
            var text = Text.utf8(file.getValue());
            if (text.isEmpty()) {
                continue; // as ripgrep: a binary file has no lines to show
            }
            String path = Workspace.absolute(file.getKey());
            if (multiline) {
                if (deadline.find(regex, text.get())) {
                    matchedFiles++;
                    total++;
                    out.add(mode.equals("count") ? path + ":1" : path);
                }
                continue;
            }
            String[] lines = NumberedLines.split(text.get()).toArray(String[]::new);
            TreeSet<Integer> matching = new TreeSet<>();
            for (int i = 0; i < lines.length; i++) {
                if (deadline.find(regex, lines[i])) {
                    matching.add(i);
                }
            }
            if (matching.isEmpty()) {
                continue;
            }
            matchedFiles++;
            total += matching.size();
            switch (mode) {
                case "content" -> content(out, single ? "" : path, lines, matching, before, after, args.flag("-n", false));
                case "count" -> out.add(single ? Integer.toString(matching.size()) : path + ":" + matching.size());
                default -> out.add(path);
            }
        }
        return switch (mode) {
            case "content" -> out.isEmpty() ? "No matches found" : out.text();
            case "count" -> out.isEmpty() ? "No matches found" : out.text() + "\n\nFound " + total + " total " + (total == 1 ? "occurrence" : "occurrences")
                    + " across " + matchedFiles + " " + (matchedFiles == 1 ? "file" : "files") + ".";
            default -> out.isEmpty() ? "No files found" : "Found " + out.size() + " " + (out.size() == 1 ? "file" : "files") + "\n" + out.text();
        };
    }

    /** The files to search, in path order, and whether {@code path} named one file (ripgrep then shows no path). */
    private record Searched(Map<String, byte[]> files, boolean oneFile) {}

    /** {@code path} itself when it is a file, else the files below it that the filters let through. */
    private static Searched searched(SessionFiles files, String path, String glob, String type) {
        VPath named = Workspace.directory(files, path);
        if (!named.isRoot() && files.isFile(named)) {
            return new Searched(Map.of(named.key(), files.read(named)), true);
        }
        SearchScope scope = SearchScope.of(files, path);
        Predicate<String> byGlob = glob == null ? k -> true : Glob.matcher(glob);
        Predicate<String> byType = type == null ? k -> true : FileTypes.matcher(type);
        var all = files.contents(scope.directory());
        all.keySet().removeIf(key -> key.startsWith(".git/") || key.contains("/.git/") || !byGlob.test(scope.relative(key)) || !byType.test(key));
        return new Searched(all, false);
    }

    /** ripgrep's content lines: a match {@code path:line:text}, its context {@code path-line-text}; {@code --} between groups apart. */
    private static void content(Output out, String path, String[] lines, TreeSet<Integer> matching, int before, int after, boolean numbered) {
        int last = -2;
        for (int i : matching) {
            int from = Math.max(0, i - before);
            int to = Math.min(lines.length - 1, i + after);
            if (last >= 0 && from > last + 1 && (before > 0 || after > 0)) {
                out.add("--");
            }
            for (int at = Math.max(from, last + 1); at <= to; at++) {
                char separator = matching.contains(at) ? ':' : '-';
                out.add((path.isEmpty() ? "" : path + separator) + (numbered ? (at + 1) + "" + separator : "") + lines[at]);
            }
            last = Math.max(last, to);
        }
    }

    /** The answer's lines, cut at {@code head_limit} (0: none) and at {@value SearchScope#MAX_RESULTS}, saying so. */
    private static final class Output {
        private final int headLimit;
        private final List<String> lines = new ArrayList<>();
        private int dropped;

        Output(int headLimit) {
            this.headLimit = headLimit;
        }

        void add(String line) {
            if ((headLimit > 0 && lines.size() >= headLimit) || lines.size() >= SearchScope.MAX_RESULTS) {
                dropped++;
            } else {
                lines.add(line);
            }
        }

        boolean isEmpty() {
            return lines.isEmpty();
        }

        int size() {
            return lines.size();
        }

        String text() {
            String text = String.join("\n", lines);
            boolean cutHere = dropped > 0 && (headLimit == 0 || headLimit > SearchScope.MAX_RESULTS);
            return cutHere ? text + "\n(" + dropped + " more results not shown; narrow the pattern, path, glob or type, or set head_limit)" : text;
        }
    }
}
