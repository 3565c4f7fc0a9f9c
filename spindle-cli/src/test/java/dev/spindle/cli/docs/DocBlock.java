package dev.spindle.cli.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fenced shell block of a Markdown file ({@code sh}, {@code bash}, {@code shell}, {@code console}) and
 * how the HTML comment on the line before it marks it: {@code <!-- runnable -->}, {@code <!-- runnable
 * where: CONDITION -->} (runnable where the host has what {@link DocCondition} names, such as a sandbox), or
 * {@code <!-- not runnable: REASON -->}. An HTML comment is invisible on GitHub and in most renderers.
 *
 * @param condition for a runnable block, what the host needs to run it ({@code sandbox}); null when nothing
 */
record DocBlock(Path file, int line, Marking marking, String reason, String condition, String body) {
    enum Marking { RUNNABLE, NOT_RUNNABLE, UNMARKED }

    private static final Set<String> SHELL = Set.of("sh", "bash", "shell", "console");
    private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(`{3,}|~{3,})\\s*([\\w-]*).*$");
    private static final Pattern RUNNABLE = Pattern.compile("^\\s*<!--\\s*runnable(?:\\s+where:\\s*(\\w+))?\\s*-->\\s*$");
    private static final Pattern NOT_RUNNABLE = Pattern.compile("^\\s*<!--\\s*not runnable:\\s*(.+?)\\s*-->\\s*$");

    /** Where the doc shows it, as {@code README.md:120}. */
    String where() {
        return file.getFileName() + ":" + line;
    }

    /** Every shell block of {@code file}, in order. */
    static List<DocBlock> in(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<DocBlock> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                continue;
            }
            String marker = fence.group(1);
            int close = i + 1;
            while (close < lines.size() && !lines.get(close).strip().startsWith(marker)) {
                close++;
            }
            if (SHELL.contains(fence.group(2))) {
                String body = String.join("\n", lines.subList(i + 1, Math.min(close, lines.size())));
                blocks.add(marked(file, i + 1, previousLine(lines, i), body));
            }
            i = close;
        }
        return blocks;
    }

    private static String previousLine(List<String> lines, int fence) {
        for (int i = fence - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i);
            }
        }
        return "";
    }

    private static DocBlock marked(Path file, int line, String before, String body) {
        Matcher runnable = RUNNABLE.matcher(before);
        if (runnable.matches()) {
            return new DocBlock(file, line, Marking.RUNNABLE, null, runnable.group(1), body);
        }
        Matcher not = NOT_RUNNABLE.matcher(before);
        return not.matches() ? new DocBlock(file, line, Marking.NOT_RUNNABLE, not.group(1), null, body)
                : new DocBlock(file, line, Marking.UNMARKED, null, null, body);
    }
}
