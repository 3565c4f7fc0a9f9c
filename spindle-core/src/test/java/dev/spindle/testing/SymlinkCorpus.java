package dev.spindle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A seed folder full of symbolic links, for every seed source: links to host files, to a folder outside,
 * relative escapes, loops, dangling links, a link into {@code .git} (once the folder is a repository),
 * and links that stay inside. Only the plain files and the links to files inside may reach a session;
 * nothing outside the folder (or in its {@code .git}) ever may.
 */
public final class SymlinkCorpus {
    /** Text of the file outside the seed folder; must never appear in a session. */
    public static final String SECRET = "outside-secret-0xC0FFEE";

    /** What a seed of the corpus must hold, exactly: plain files, {@code .github}/{@code .gitignore}, and links to files inside. */
    public static final Map<String, String> EXPECTED = Map.of(
            "inside.txt", "inside\n",
            "sub/real.txt", "real\n",
            ".gitignore", "target/\n",
            ".github/workflows/ci.yml", "on: push\n",
            "link-to-inside", "inside\n",
            "sub/link-up-inside", "inside\n");

    private SymlinkCorpus() {}

    /** Builds the corpus in {@code root}, with a secret in {@code outside}; the relative links reach it through {@code ..}. */
    public static void create(Path root, Path outside) throws IOException {
        Files.createDirectories(outside);
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.createDirectories(root.resolve("sub"));
        Files.createDirectories(root.resolve(".github/workflows"));
        Files.writeString(root.resolve("inside.txt"), "inside\n");
        Files.writeString(root.resolve("sub/real.txt"), "real\n");
        Files.writeString(root.resolve(".gitignore"), "target/\n");
        Files.writeString(root.resolve(".github/workflows/ci.yml"), "on: push\n");
        link(root.resolve("passwd"), Path.of("/etc/passwd"));
        link(root.resolve("etc"), Path.of("/etc"));
        link(root.resolve("outside-dir"), outside);
        link(root.resolve("outside-file"), outside.resolve("secret.txt"));
        Path up = root.relativize(outside);
        link(root.resolve("relative-escape"), up.resolve("secret.txt"));
        link(root.resolve("sub/deep-escape"), Path.of("..").resolve(up).resolve("secret.txt"));
        link(root.resolve("sub/dotdot-dir"), Path.of("..").resolve(up));
        link(root.resolve("link-to-inside"), Path.of("inside.txt"));
        link(root.resolve("sub/link-up-inside"), Path.of("../inside.txt"));
        link(root.resolve("dir-inside"), Path.of("sub"));
        link(root.resolve("loop-a"), Path.of("loop-b"));
        link(root.resolve("loop-b"), Path.of("loop-a"));
        link(root.resolve("self"), Path.of("self"));
        link(root.resolve("dangling"), Path.of("no-such-file.txt"));
        link(root.resolve("inside-then-out"), Path.of("sub/deep-escape"));
        link(root.resolve("git-config"), Path.of(".git/config"));
    }

    private static void link(Path link, Path target) throws IOException {
        Files.createSymbolicLink(link, target);
    }
}
