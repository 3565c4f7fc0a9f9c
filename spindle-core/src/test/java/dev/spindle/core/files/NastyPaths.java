package dev.spindle.core.files;

import java.util.List;

/**
 * Paths an agent (or an attacker) might use to get out of its session or at the host. Every one must
 * be refused with PermissionDenied or InvalidArguments, in-process and over HTTP.
 */
public final class NastyPaths {
    private NastyPaths() {}

    public static final List<String> CORPUS = List.of(
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
            "C:\\Windows\\System32\\config\\SAM",
            "c:/boot.ini",
            "%2e%2e/%2e%2e/etc/passwd",
            "..%2f..%2fetc%2fpasswd",
            "%2e%2e%5c%2e%2e%5cwindows",
            "%252e%252e/secret",
            "..%c0%af..%c0%afetc/passwd",
            "file:///etc/passwd",
            "file://localhost/etc/hosts",
            "a.txt\u0000.png",
            "\u0000",
            "../\u0000",
            "line\nbreak/../../x",
            "tab\there",
            "a/" + "b".repeat(300),
            "x/".repeat(2100),
            "/var/run/docker.sock");
}
