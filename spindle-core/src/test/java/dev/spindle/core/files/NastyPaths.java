package dev.spindle.core.files;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Paths an agent (or an attacker) might use to get out of its session or at the host. Every one in
 * {@link #CORPUS} must be refused with PermissionDenied or InvalidArguments, in-process and over HTTP,
 * as a file and as a directory. {@link #LOOKALIKES} only look hostile: each names a file inside the
 * session (or is refused), and none may ever lead anywhere else.
 */
public final class NastyPaths {
    private NastyPaths() {}

    /** Escapes, host locations and malformed paths, by hand. */
    private static final List<String> BY_HAND = List.of(
            "..",
            "../",
            "../secret.txt",
            "../../etc/passwd",
            "../../../../../../../../etc/shadow",
            "a/../../b",
            "./a/b/../../../c",
            "/..",
            "/../etc/passwd",
            "//../x",
            "a/b/c/../../../../d",
            "..\\..\\windows\\win.ini",
            "a\\..\\..\\b",
            "\\..\\x",
            "/etc/passwd",
            "/etc",
            "etc/shadow",
            "/proc/self/environ",
            "/proc/1/cmdline",
            "/sys/kernel/notes",
            "/dev/null",
            "/dev/../dev/sda",
            "/root/.ssh/id_rsa",
            "/home/user/.bashrc",
            "home/alice/.aws/credentials",
            "~",
            "~/.ssh/id_rsa",
            "~root/.profile",
            "./~/.ssh/id_rsa",
            "a/../~/.aws/credentials",
            "C:\\Windows\\System32\\config\\SAM",
            "c:/boot.ini",
            "D:",
            "%2e%2e/%2e%2e/etc/passwd",
            "..%2f..%2fetc%2fpasswd",
            "%2e%2e%5c%2e%2e%5cwindows",
            "%252e%252e/secret",
            "..%c0%af..%c0%afetc/passwd",
            "%2E%2E/",
            "%00",
            "file%00.txt",
            "file:///etc/passwd",
            "file://localhost/etc/hosts",
            "file:/etc/passwd",
            "http://169.254.169.254/latest/meta-data",
            "smb://host/share/x",
            "a.txt\u0000.png",
            "\u0000",
            "../\u0000",
            "\u0000/etc/passwd",
            "ok.txt\u0000../../x",
            "line\nbreak/../../x",
            "tab\there",
            "cr\rlf",
            "bell\u0007",
            "escape\u001b[31mred",
            "del\u007f",
            "c1-next-line\u0085",
            "c1-csi\u009b31m",
            "line\u2028separator",
            "paragraph\u2029separator",
            "txt.exe\u202egnp.txt",
            "isolate\u2066x\u2069",
            "\ud800",
            "a/\udfff/b",
            "a/" + "b".repeat(300),
            "x/".repeat(2100),
            "a".repeat(PathPolicy.MAX_PATH_CHARS + 1),
            "../".repeat(1400),
            "/var/run/docker.sock",
            "/var/run/../run/secrets",
            "/boot/grub/grub.cfg",
            "/proc",
            "/sys/",
            "/dev/shm/x",
            "../../../x",
            "a/./../../b");

    /** Escapes and host locations that every decoration below keeps hostile. */
    private static final List<String> DECORATED = List.of(
            "../secret.txt", "/etc/passwd", "/proc/self/environ", "a/../../b", "/root/.bashrc", "/home/u/.aws/credentials",
            "/var/run/docker.sock", "/sys/kernel", "/boot/grub", "/dev/sda", "sub/../../../x");

    private static final List<UnaryOperator<String>> DECORATIONS = List.of(
            path -> path + "/",
            path -> path + "/.",
            path -> path.replace("/", "//"),
            path -> path.replace('/', '\\'),
            path -> "./" + path,
            path -> path.replace("/", "/./"),
            path -> "/./" + path);

    /** Every hostile path: the hand-written ones and each decorated escape. */
    public static final List<String> CORPUS = corpus();

    /** Paths that look hostile but name a file inside the session; a server may store them, never elsewhere. */
    public static final List<String> LOOKALIKES = List.of(
            "\uff0e\uff0e/\uff0e\uff0e/etc/passwd",
            "\u2025/x",
            "\u2024\u2024/x",
            "..\u200b/x",
            "\u200b../x",
            "e\u0301tc/passwd",
            "/ETC/passwd",
            "\uff5e/.ssh/id_rsa",
            "\\\\server\\share\\x",
            "...",
            "..../x",
            "etc.d/passwd",
            "a/b/../c",
            "trailing/",
            "//double//slashes//",
            "c:foo",
            "jar:file:/app.jar!/secret",
            "%zz",
            "100%",
            "name with spaces .txt",
            "\ud83d\ude00/emoji.txt");

    private static List<String> corpus() {
        Set<String> paths = new LinkedHashSet<>(BY_HAND);
        for (String path : DECORATED) {
            for (UnaryOperator<String> decoration : DECORATIONS) {
                paths.add(decoration.apply(path));
            }
        }
        return List.copyOf(paths);
    }
}
