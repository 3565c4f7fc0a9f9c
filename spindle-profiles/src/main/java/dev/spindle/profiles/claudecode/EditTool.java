package dev.spindle.profiles.claudecode;

import dev.spindle.core.Arguments;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;

/**
 * {@code Edit {file_path, old_string, new_string, replace_all?}}: one exact replacement (every one with
 * {@code replace_all}) in a file this session has read; an empty {@code old_string} creates a new file.
 * Answers the edited lines with four of context, numbered.
 */
final class EditTool extends FileTool {
    static final int CONTEXT_LINES = 4;

    EditTool() {
        super("Edit");
    }

    @Override
    String run(SessionFiles files, ReadFiles read, VPath path, Arguments args) {
        Replacement replacement = new Replacement(args.text("old_string"), args.text("new_string"), args.flag("replace_all", false));
        Changed changed = change(files, read, path, replacement.oldString().isEmpty(), replacement::apply);
        if (replacement.replaceAll()) {
            return "The file " + Workspace.absolute(path.key()) + " has been updated. All occurrences of '" + replacement.oldString()
                    + "' were successfully replaced with '" + replacement.newString() + "'.";
        }
        return updated(path, snippet(changed.after(), changed.before(), replacement));
    }

    /** The lines the replacement wrote, with {@value #CONTEXT_LINES} lines either side, numbered as in the file. */
    static String snippet(String after, String before, Replacement replacement) {
        int firstLine = (int) before.substring(0, replacement.at(before)).chars().filter(c -> c == '\n').count();
        int newLines = (int) replacement.newString().chars().filter(c -> c == '\n').count();
        var lines = NumberedLines.split(after);
        int from = Math.max(0, firstLine - CONTEXT_LINES);
        int to = Math.min(lines.size(), firstLine + newLines + CONTEXT_LINES + 1);
        return NumberedLines.of(lines.subList(Math.min(from, to), to), from + 1);
    }
}
