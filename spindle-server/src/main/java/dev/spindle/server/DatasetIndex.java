package dev.spindle.server;

import dev.spindle.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One JSONL dataset scanned once: where each record's line lies in the file and what the filters need
 * (its tools, the error types its tool messages report, its steps and calls), so a page reads only its
 * own lines. A line longer than {@value #MAX_LINE_BYTES} bytes is indexed as invalid and never held whole.
 * Verify outcomes found from the console are kept here, so they go when the file changes.
 */
final class DatasetIndex {
    static final int MAX_LINE_BYTES = 16 << 20;
    /** How a failed tool call's message starts (as the generator writes it): {@code Error (Type): message}. */
    private static final Pattern TOOL_ERROR = Pattern.compile("^Error \\((\\w+)\\):");
    /** The statuses of an eval attempt's line ({@code spindle eval}'s results.jsonl). */
    static final Set<String> EVAL_STATUSES = Set.of("graded", "infra_error");

    /**
     * One record: its 1-based line number (as {@code spindle verify} names it), its bytes, what it holds; for an
     * eval attempt's line, its {@code task} and {@code outcome} (passed, failed or infra_error), else null.
     */
    record Entry(int line, long offset, int length, boolean valid, Set<String> tools, Set<String> errorTypes, int steps, int calls,
                 String task, String outcome) {}

    final Path file;
    final long size;
    final long modified;
    final List<Entry> entries;
    /** Verify outcome by line number. */
    final Map<Integer, String> verified = new ConcurrentHashMap<>();

    private DatasetIndex(Path file, long size, long modified, List<Entry> entries) {
        this.file = file;
        this.size = size;
        this.modified = modified;
        this.entries = entries;
    }

    static DatasetIndex scan(Path file) throws IOException {
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        Lines lines = new Lines();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) { // listed as a regular file: a link swapped in since is refused
            byte[] chunk = new byte[1 << 16];
            long chunkStart = 0;
            for (int read = in.read(chunk); read > 0; read = in.read(chunk)) {
                int from = 0;
                for (int i = 0; i < read; i++) {
                    if (chunk[i] == '\n') {
                        lines.append(chunk, from, i - from);
                        lines.end(chunkStart + i);
                        from = i + 1;
                    }
                }
                lines.append(chunk, from, read - from);
                chunkStart += read;
            }
            lines.end(chunkStart);
        }
        return new DatasetIndex(file, size, modified, List.copyOf(lines.entries));
    }

    /** Collects one line at a time (at most {@value #MAX_LINE_BYTES} bytes of it) and indexes each as it ends. */
    private static final class Lines {
        final List<Entry> entries = new ArrayList<>();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private long start;
        private int number = 1;
        private boolean tooLong;

        void append(byte[] bytes, int from, int length) {
            int kept = Math.min(length, MAX_LINE_BYTES - line.size());
            line.write(bytes, from, kept);
            tooLong |= kept < length;
        }

        /** The line ends just before {@code end}, the offset of its newline (or of the end of the file). */
        void end(long end) {
            int length = (int) Math.min(Integer.MAX_VALUE, end - start);
            if (length > 0 && !isBlank(line)) {
                entries.add(tooLong ? invalid(number, start, length) : entry(number, start, length, line.toByteArray()));
            }
            line.reset();
            tooLong = false;
            number++;
            start = end + 1;
        }
    }

    private static boolean isBlank(ByteArrayOutputStream line) {
        return line.toString(StandardCharsets.UTF_8).isBlank();
    }

    private static Entry invalid(int number, long offset, int length) {
        return new Entry(number, offset, length, false, Set.of(), Set.of(), 0, 0, null, null);
    }

    private static Entry entry(int number, long offset, int length, byte[] bytes) {
        JsonNode record;
        try {
            record = Json.parse(bytes);
        } catch (RuntimeException notJson) {
            return invalid(number, offset, length);
        }
        Set<String> tools = new TreeSet<>();
        Set<String> errors = new TreeSet<>();
        int steps = 0;
        int calls = 0;
        String task = null;
        String outcome = null;
        JsonNode conversation = record;
        if (EVAL_STATUSES.contains(record.path("status").asString(""))) {
            task = record.path("task").asString("");
            outcome = record.path("status").asString().equals("infra_error") ? "infra_error" : record.path("solved").asBoolean() ? "passed" : "failed";
            conversation = record.path("trajectory");
        }
        for (JsonNode message : conversation.path("messages")) {
            JsonNode toolCalls = message.path("tool_calls");
            if (!toolCalls.isEmpty()) {
                steps++;
                calls += toolCalls.size();
                toolCalls.forEach(call -> tools.add(call.path("function").path("name").asString("")));
            }
            if (message.path("role").asString("").equals("tool")) {
                Matcher error = TOOL_ERROR.matcher(message.path("content").asString(""));
                if (error.find()) {
                    errors.add(error.group(1));
                }
            }
        }
        return new Entry(number, offset, length, record.isObject(), Set.copyOf(tools), Set.copyOf(errors), steps, calls, task, outcome);
    }

    /** The record's text, read from the file. */
    String text(Entry entry) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[Math.min(entry.length, MAX_LINE_BYTES)];
            in.seek(entry.offset);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** An eval attempt's outcome; a record's verify outcome. */
    String status(Entry entry) {
        return entry.outcome != null ? entry.outcome : verified.getOrDefault(entry.line, "unverified");
    }

    /** Matches the text search, case-insensitive, over the record's raw line. */
    Predicate<Entry> containing(String query) {
        String wanted = query.toLowerCase(Locale.ROOT);
        return entry -> {
            try {
                return entry.length <= MAX_LINE_BYTES && text(entry).toLowerCase(Locale.ROOT).contains(wanted);
            } catch (IOException e) {
                return false;
            }
        };
    }

    Entry entry(int line) {
        for (Entry entry : entries) {
            if (entry.line == line) {
                return entry;
            }
        }
        return null;
    }
}
