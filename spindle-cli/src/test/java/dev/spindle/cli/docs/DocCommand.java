package dev.spindle.cli.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One shell command of a doc block (over several lines when a line ends in {@code \} or a quote is still
 * open) and the answer the doc shows for it: a comment that starts with {@code {} or {@code [}, on the
 * command's line ({@code cmd  # {"ok":true}}) or on the line right after it (continued over several
 * {@code #} lines until the JSON is complete), optionally followed by {@code (HTTP 404)}.
 */
record DocCommand(int line, String text, JsonPattern answer, Integer status) {
    private static final Pattern STATUS = Pattern.compile("\\(HTTP (\\d{3})\\)");
    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*(?:[A-Za-z_][A-Za-z0-9_]*=\\S*\\s+)*");

    /** A long-running command: {@code ./spindle serve}, or one sent to the background with {@code &}. */
    boolean service() {
        return text.strip().endsWith("&") || words().startsWith("./spindle serve");
    }

    /** The command without its environment assignments ({@code STATUS_URL=... ./spindle serve} is {@code ./spindle serve}). */
    String words() {
        Matcher prefix = ASSIGNMENT.matcher(text);
        return prefix.find() ? text.substring(prefix.end()).strip() : text.strip();
    }

    /** The commands of a block body whose first line is line {@code firstLine} of its file. */
    static List<DocCommand> in(String body, int firstLine) {
        List<DocCommand> commands = new ArrayList<>();
        String[] lines = body.split("\n", -1);
        StringBuilder command = new StringBuilder();
        int start = 0;
        Quotes quotes = new Quotes();
        Answer answer = null;
        boolean afterCommand = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (command.isEmpty()) {
                String stripped = line.strip();
                if (answer != null && answer.open() && stripped.startsWith("#")) {
                    answer.add(stripped.substring(1));
                    continue;
                }
                answer = finish(commands, answer);
                if (stripped.isEmpty()) {
                    afterCommand = false;
                    continue;
                }
                if (stripped.startsWith("#")) {
                    // an answer comes right after its command; a prose comment may go on with {braces}
                    String comment = stripped.substring(1).strip();
                    if (afterCommand && (comment.startsWith("{") || comment.startsWith("["))) {
                        answer = new Answer(commands.size() - 1, firstLine + i, comment);
                    }
                    afterCommand = false;
                    continue;
                }
                start = i;
            }
            command.append(command.isEmpty() ? "" : "\n").append(line);
            int comment = quotes.scan(line);
            if (quotes.open() || (comment < 0 && line.endsWith("\\"))) {
                continue;
            }
            String text = command.toString();
            String inline = null;
            if (comment >= 0) {
                int at = text.length() - line.length() + comment;
                inline = text.substring(at + 1).strip();
                text = text.substring(0, at).stripTrailing();
            }
            commands.add(new DocCommand(firstLine + start, text, null, null));
            if (inline != null && (inline.startsWith("{") || inline.startsWith("["))) {
                answer = new Answer(commands.size() - 1, firstLine + i, inline);
            }
            command.setLength(0);
            quotes = new Quotes();
            afterCommand = true;
        }
        finish(commands, answer);
        if (!command.isEmpty()) {
            throw new IllegalArgumentException("line " + (firstLine + start) + ": the command never ends (an open quote?)");
        }
        return commands;
    }

    private static Answer finish(List<DocCommand> commands, Answer answer) {
        if (answer != null) {
            DocCommand command = commands.get(answer.command);
            JsonPattern pattern;
            try {
                pattern = JsonPattern.parse(answer.text.toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + answer.line + ": the answer shown is " + e.getMessage(), e);
            }
            Integer status = null;
            if (!pattern.trailing.isEmpty()) {
                Matcher note = STATUS.matcher(pattern.trailing);
                if (!note.matches()) {
                    throw new IllegalArgumentException("line " + answer.line + ": after the answer only (HTTP NNN) may follow, not: " + pattern.trailing);
                }
                status = Integer.valueOf(note.group(1));
            }
            commands.set(answer.command, new DocCommand(command.line, command.text, pattern, status));
        }
        return null;
    }

    /** An answer being read from comment lines: complete once its brackets close. */
    private static final class Answer {
        final int command;
        final int line;
        final StringBuilder text = new StringBuilder();

        Answer(int command, int line, String first) {
            this.command = command;
            this.line = line;
            text.append(first.strip());
        }

        void add(String more) {
            text.append(' ').append(more.strip());
        }

        boolean open() {
            int depth = 0;
            boolean inString = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (inString) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
            }
            return depth > 0;
        }
    }

    /** Shell quoting across the lines of one command: where a comment starts, and whether a quote is still open. */
    private static final class Quotes {
        private char quote;

        /** Scans one line; answers the index of a {@code #} that starts a comment on it, or -1. */
        int scan(String line) {
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote == '\'') {
                    quote = c == '\'' ? 0 : quote;
                } else if (quote == '"') {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        quote = 0;
                    }
                } else if (c == '\\') {
                    i++;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    return i;
                }
            }
            return -1;
        }

        boolean open() {
            return quote != 0;
        }
    }
}
