package dev.spindle.profiles.claudecode;

import dev.spindle.core.Arguments;
import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code MultiEdit {file_path, edits: [{old_string, new_string, replace_all?}]}}: Edit's replacements in
 * order, each on the result of the one before, all or none. A first edit with an empty {@code old_string}
 * creates the file.
 */
final class MultiEditTool extends FileTool {
    private static final int SHOWN_CHARS = 50;

    MultiEditTool() {
        super("MultiEdit");
    }

    @Override
    String run(SessionFiles files, ReadFiles read, VPath path, Arguments args) {
        List<Replacement> edits = new ArrayList<>();
        for (JsonNode edit : args.json().path("edits")) {
            Arguments each = new Arguments((tools.jackson.databind.node.ObjectNode) edit);
            edits.add(new Replacement(each.text("old_string"), each.text("new_string"), each.flag("replace_all", false)));
        }
        change(files, read, path, edits.getFirst().oldString().isEmpty(), content -> {
            List<String> written = new ArrayList<>();
            for (Replacement edit : edits) {
                if (!edit.oldString().isEmpty() && written.stream().anyMatch(n -> n.contains(edit.oldString()))) {
                    throw new SpindleException(ErrorType.InvalidArguments, "Cannot edit file: old_string is a substring of a new_string from a previous edit.");
                }
                content = edit.apply(content);
                written.add(edit.newString());
            }
            return content;
        });
        StringBuilder out = new StringBuilder("Applied " + edits.size() + (edits.size() == 1 ? " edit" : " edits") + " to " + Workspace.absolute(path.key()) + ":");
        for (int i = 0; i < edits.size(); i++) {
            out.append('\n').append(i + 1).append(". Replaced \"").append(shown(edits.get(i).oldString()))
                    .append("\" with \"").append(shown(edits.get(i).newString())).append('"');
        }
        return out.toString();
    }

    private static String shown(String text) {
        return text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text;
    }
}
