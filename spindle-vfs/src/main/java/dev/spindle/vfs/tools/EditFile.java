package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Schema;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces exact text in a file, atomically. Fails when {@code old_string} is absent, or occurs more
 * than once without {@code replace_all}: an edit must never land somewhere the agent did not mean.
 */
public final class EditFile extends VfsTool {
    public EditFile() {
        super("edit_file", "Replace exact text in a file; old_string must occur exactly once unless replace_all is true",
                Schema.object()
                        .required("file_path", Schema.string("Path to the file to edit"))
                        .required("old_string", Schema.string("Exact text to replace", 1))
                        .required("new_string", Schema.string("Text to put in its place"))
                        .optional("replace_all", Schema.bool("Replace every occurrence instead of exactly one", false))
                        .build(),
                Schema.hints(false, true, false));
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        String path = args.string("file_path");
        String oldText = args.text("old_string");
        String newText = args.text("new_string");
        boolean all = args.flag("replace_all", false);
        int[] replaced = new int[1];
        VPath target = files.file(path);
        files.update(target, false, bytes -> {
            String content = SessionFiles.text(target, bytes);
            int count = occurrences(content, oldText);
            if (count == 0) {
                throw new SpindleException(ErrorType.InvalidArguments, "old_string was not found in " + path + "; read the file and copy the text exactly");
            }
            if (count > 1 && !all) {
                throw new SpindleException(ErrorType.InvalidArguments,
                        "old_string occurs " + count + " times in " + path + "; include more surrounding text to make it unique, or set replace_all");
            }
            replaced[0] = count;
            return (all ? content.replace(oldText, newText) : content.replaceFirst(Pattern.quote(oldText), Matcher.quoteReplacement(newText))).getBytes(StandardCharsets.UTF_8);
        });
        return "Successfully replaced " + replaced[0] + (replaced[0] == 1 ? " occurrence" : " occurrences") + " in " + path;
    }

    private static int occurrences(String content, String text) {
        int count = 0;
        for (int at = content.indexOf(text); at >= 0; at = content.indexOf(text, at + text.length())) {
            count++;
        }
        return count;
    }
}
