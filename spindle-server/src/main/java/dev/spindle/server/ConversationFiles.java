package dev.spindle.server;

import dev.spindle.core.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Tells a dataset from the other JSONL files beside it (a topics file's {@code {"path": [...]}} lines, a verify
 * report's {@code {record, status}} lines, an empty file): its first line that is JSON, blank and broken lines
 * skipped as the console's index skips them, is a conversation record, an object whose {@code messages} array
 * starts with a message that has a {@code role}, as {@code spindle generate} writes them. At most
 * {@value #MAX_READ} bytes are read, and a line is read only until that is decided: a first record too long to
 * read whole still counts by its start. An eval's {@code results.jsonl} is one too: its lines are attempts, each
 * with its conversation as {@code trajectory}.
 */
final class ConversationFiles {
    static final int MAX_READ = 1 << 20;
    private static final int CHUNK = 64 << 10;

    private enum Verdict { CONVERSATION, OTHER, NOT_JSON }

    private ConversationFiles() {}

    /** False for a file that cannot be read: it is listed once it can. */
    static boolean holdsConversations(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return holdsConversations(in);
        } catch (IOException e) {
            return false;
        }
    }

    /** The same for a text in memory (an upload). */
    static boolean holdsConversations(byte[] text) {
        try {
            return holdsConversations(new ByteArrayInputStream(text));
        } catch (IOException cannotHappen) {
            throw new UncheckedIOException(cannotHappen); // read from memory
        }
    }

    private static boolean holdsConversations(InputStream in) throws IOException {
        byte[] buffer = new byte[CHUNK];
        int filled = 0;
        int lineStart = 0;
        int scanned = 0; // bytes already searched for a newline
        while (true) {
            for (int newline = indexOfNewline(buffer, scanned, filled); newline >= 0; newline = indexOfNewline(buffer, scanned, filled)) {
                Verdict verdict = judge(buffer, lineStart, newline - lineStart);
                if (verdict != Verdict.NOT_JSON) {
                    return verdict == Verdict.CONVERSATION;
                }
                lineStart = newline + 1;
                scanned = lineStart;
            }
            scanned = filled;
            if (filled == buffer.length) { // a long line so far: its start may already tell
                boolean conversation = judge(buffer, lineStart, filled - lineStart) == Verdict.CONVERSATION;
                if (conversation || filled == MAX_READ) {
                    return conversation;
                }
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_READ));
            }
            int read = in.read(buffer, filled, buffer.length - filled);
            if (read < 0) {
                return judge(buffer, lineStart, filled - lineStart) == Verdict.CONVERSATION; // the last line, without a newline
            }
            filled += read;
        }
    }

    private static int indexOfNewline(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** One line, parsed only as far as needed: a conversation is known from its first message's role. */
    private static Verdict judge(byte[] bytes, int offset, int length) {
        try (JsonParser parser = Json.MAPPER.createParser(bytes, offset, length)) {
            if (parser.nextToken() == null) {
                return Verdict.NOT_JSON; // blank
            }
            if (parser.currentToken() == JsonToken.START_OBJECT && conversation(parser)) {
                return Verdict.CONVERSATION;
            }
            while (parser.nextToken() != null) {
                // the rest must parse too, for the line to be JSON at all
            }
            return Verdict.OTHER;
        } catch (JacksonException brokenOrCut) {
            return Verdict.NOT_JSON;
        }
    }

    /**
     * Inside a record's object: whether its {@code messages} is an array whose first message has a role, or it
     * is an eval attempt's line ({@code status} graded or infra_error, as {@code spindle eval} writes results.jsonl).
     */
    private static boolean conversation(JsonParser parser) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("messages")) {
                return value == JsonToken.START_ARRAY && parser.nextToken() == JsonToken.START_OBJECT && hasRole(parser);
            }
            if (name.equals("status") && value == JsonToken.VALUE_STRING && DatasetIndex.EVAL_STATUSES.contains(parser.getString())) {
                return true;
            }
            parser.skipChildren();
        }
        return false;
    }

    private static boolean hasRole(JsonParser parser) {
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            if (parser.nextToken() == JsonToken.VALUE_STRING && name.equals("role")) {
                return true;
            }
            parser.skipChildren();
        }
        return false;
    }
}
