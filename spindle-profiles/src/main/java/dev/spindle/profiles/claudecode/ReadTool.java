package dev.spindle.profiles.claudecode;

import dev.spindle.core.Arguments;
import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import java.util.List;

/**
 * {@code Read {file_path, offset?, limit?}}: the file in {@code cat -n} style, from line {@code offset}
 * (1-based), at most {@code limit} lines (2000), each cut at 2000 characters. Marks the file as read.
 */
final class ReadTool extends FileTool {
    static final int DEFAULT_LIMIT = 2000;
    static final int MAX_LINE_CHARS = 2000;
    /** Past this a whole-file read is refused, as Claude Code does: the model must page with offset and limit. */
    static final int MAX_WHOLE_FILE_BYTES = 256 * 1024;

    ReadTool() {
        super("Read");
    }

    @Override
    String run(SessionFiles files, ReadFiles read, VPath path, Arguments args) {
        byte[] bytes = files.read(path);
        String text = SessionFiles.text(path, bytes);
        boolean paged = args.json().has("offset") || args.json().has("limit");
        if (!paged && bytes.length > MAX_WHOLE_FILE_BYTES) {
            throw new SpindleException(ErrorType.InvalidArguments, "File content (" + (bytes.length / 1024) + "KB) exceeds maximum allowed size (256KB). "
                    + "Please use offset and limit parameters to read specific portions of the file, or use the GrepTool to search for specific content.");
        }
        read.remember(path, bytes);
        if (text.isEmpty()) {
            return "<system-reminder>Warning: the file exists but the contents are empty.</system-reminder>";
        }
        List<String> lines = NumberedLines.split(text);
        int offset = Math.max(0, args.json().path("offset").asInt(1) - 1);
        int limit = Math.max(1, args.json().path("limit").asInt(DEFAULT_LIMIT));
        if (offset >= lines.size()) {
            return "<system-reminder>Warning: the file exists but is shorter than the provided offset (" + (offset + 1) + "). The file has "
                    + lines.size() + " lines.</system-reminder>";
        }
        List<String> shown = lines.subList(offset, Math.min(lines.size(), offset + limit)).stream()
                .map(line -> line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) : line).toList();
        return NumberedLines.of(shown, offset + 1);
    }
}
