package dev.spindle.profiles.claudecode;

import java.util.List;

/** Claude Code's {@code cat -n} style: each line as its number right-aligned in six columns, an arrow, the text. */
final class NumberedLines {
    private NumberedLines() {}

    /** {@code lines}, the first numbered {@code first}. */
    static String of(List<String> lines, int first) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                out.append('\n');
            }
            String number = Integer.toString(first + i);
            out.append(" ".repeat(Math.max(0, 6 - number.length()))).append(number).append('\u2192').append(lines.get(i));
        }
        return out.toString();
    }

    /** A text's lines as Claude Code splits them ({@code \r\n} or {@code \n}), without the empty one after a final newline. */
    static List<String> split(String text) {
        List<String> lines = new java.util.ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (lines.size() > 1 && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    /** The whole text numbered from 1, as Write and Edit show a result. */
    static String whole(String text) {
        return of(split(text), 1);
    }
}
