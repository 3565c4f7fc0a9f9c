package dev.spindle.core.files;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.text.Text;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the paths agents write into canonical session paths, and refuses the ones that try to leave
 * the sandbox or name host-system locations. {@code /a/b}, {@code a/b}, {@code ./a/../a/b} and
 * {@code a\b} are one file. Nothing here touches a real filesystem: the refusals exist so that agents
 * learn where they may not go, the same way a real machine would answer.
 */
public final class PathPolicy {
    /** Host-system roots an agent should learn to stay out of. {@code ~} stands for any home directory. */
    public static final List<String> DEFAULT_DENY = List.of("/etc", "/proc", "/sys", "/dev", "/root", "/home", "/boot", "/var/run", "~");

    public static final int MAX_PATH_CHARS = 4096;
    public static final int MAX_NAME_CHARS = 255;

    private static final Pattern PERCENT_ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");
    private static final Pattern URL_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:/.*");
    private static final Pattern DRIVE_LETTER = Pattern.compile("^[A-Za-z]:$");

    private final List<String> denied;

    public PathPolicy(List<String> deny) {
        this.denied = deny.stream().map(PathPolicy::denyKey).toList();
    }

    public static PathPolicy defaults() {
        return new PathPolicy(DEFAULT_DENY);
    }

    /** The canonical key of a deny-list entry: {@code /etc/} -> {@code etc}; {@code ~} stays {@code ~}. */
    private static String denyKey(String entry) {
        String trimmed = entry.strip().replace('\\', '/');
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /** A path naming a file: must not be empty or the root. */
    public VPath file(String raw) {
        VPath path = resolve(raw);
        if (path.isRoot()) {
            throw new SpindleException(ErrorType.InvalidArguments,
                    raw.isBlank() ? "Path is empty: give a file path such as notes/todo.txt" : "Path '" + raw + "' is the root directory, not a file");
        }
        return path;
    }

    /** A path naming a directory: null or empty means the root. */
    public VPath directory(String raw) {
        return raw == null || raw.isEmpty() ? new VPath("", "/") : resolve(raw);
    }

    private VPath resolve(String raw) {
        String key = plainKey(raw);
        return key != null ? checkDenied(key, raw) : normalise(raw);
    }

    /**
     * The canonical key of an already-plain path ({@code a/b.txt}, {@code /a/b.txt}), or null when the
     * path needs the full treatment (dots, backslashes, escapes, a scheme, control characters...).
     * Most agent paths are plain; this keeps them off the slower general path.
     */
    private static String plainKey(String raw) {
        int start = raw.startsWith("/") ? 1 : 0;
        if (raw.length() > MAX_PATH_CHARS || raw.length() == start) {
            return null;
        }
        int segment = start;
        for (int i = start; i <= raw.length(); i++) {
            char c = i == raw.length() ? '/' : raw.charAt(i);
            if (c == '/') {
                int length = i - segment;
                if (length == 0 || length > MAX_NAME_CHARS || (raw.charAt(segment) == '.' && (length == 1 || (length == 2 && raw.charAt(segment + 1) == '.')))) {
                    return null;
                }
                segment = i + 1;
            } else if (c < 0x20 || c >= 0x7f && (unsafe(c) || Character.isSurrogate(c)) || c == '\\' || c == '%' || c == ':') {
                return null;
            }
        }
        return raw.substring(start);
    }

    private VPath normalise(String raw) {
        if (raw.length() > MAX_PATH_CHARS) {
            throw invalid("Path is " + raw.length() + " characters long; the limit is " + MAX_PATH_CHARS);
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (unsafe(c)) {
                throw invalid("Path contains a control character (U+" + String.format("%04X", (int) c) + "); paths are plain text");
            }
        }
        Text.wellFormed(raw, "Path");
        if (raw.indexOf('%') >= 0 && PERCENT_ESCAPE.matcher(raw).find()) {
            throw invalid("Path '" + raw + "' contains a percent-encoded character; paths are taken literally, write the character itself");
        }
        String path = raw.replace('\\', '/');
        if (path.indexOf(':') >= 0 && URL_SCHEME.matcher(path).matches()) {
            throw invalid("Path '" + raw + "' is a URL; give a file path inside the session, such as data/report.csv");
        }
        Deque<String> parts = new ArrayDeque<>();
        boolean first = true;
        for (String part : path.split("/")) {
            if (first && part.length() == 2 && DRIVE_LETTER.matcher(part).matches()) {
                throw denied(raw);
            }
            first = false;
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new SpindleException(ErrorType.PermissionDenied,
                            "Access denied: '" + raw + "' leads outside the session root /");
                }
                parts.removeLast();
                continue;
            }
            if (part.length() > MAX_NAME_CHARS) {
                throw invalid("A name in path '" + abbreviate(raw) + "' is " + part.length() + " characters long; the limit is " + MAX_NAME_CHARS);
            }
            parts.addLast(part);
        }
        return checkDenied(String.join("/", parts), raw);
    }

    /**
     * Characters that have no place in a name: controls (C0 and C1), which break the line-based answers of
     * {@code list_directory} and {@code search_files}, and line separators and bidirectional overrides,
     * which make a listing show a different name than the one stored.
     */
    private static boolean unsafe(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }

    /** {@code ~} stands for any home directory: a canonical path starting with it, however spelled ({@code ./~/x}), is denied. */
    private VPath checkDenied(String key, String raw) {
        if (key.startsWith("~") && denied.contains("~")) {
            throw denied(raw);
        }
        for (String deny : denied) {
            if (key.startsWith(deny) && (key.length() == deny.length() || key.charAt(deny.length()) == '/') && !deny.equals("~")) {
                throw denied(raw);
            }
        }
        return new VPath(key, raw);
    }

    private static SpindleException denied(String raw) {
        return new SpindleException(ErrorType.PermissionDenied,
                "Access denied: '" + abbreviate(raw) + "' is a protected system location; work inside the session's own files");
    }

    private static SpindleException invalid(String message) {
        return new SpindleException(ErrorType.InvalidArguments, message);
    }

    private static String abbreviate(String raw) {
        return raw.length() <= 120 ? raw : raw.substring(0, 117) + "...";
    }
}
