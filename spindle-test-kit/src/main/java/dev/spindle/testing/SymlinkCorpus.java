package dev.spindle.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A seed folder full of symbolic links, for every seed source: links to host files, to a folder outside,
 * relative escapes, loops, dangling links, a link into {@code .git} (once the folder is a repository),
 * and links that stay inside. Only the plain files and the links to files inside may reach a session;
 * nothing outside the folder (or in its {@code .git}) ever may.
 *
 * <p>{@link #addSpecialFiles} adds what only a folder holds (git keeps none of it as such): hard links,
 * FIFOs, a socket, device nodes and links to them; {@link #addFlood} adds thousands of links to one big
 * file, which no walk may read name by name.
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

    /** What a folder seed of the corpus with {@link #addSpecialFiles} must hold, exactly: a hard link whose names are all inside is a copy. */
    public static final Map<String, String> EXPECTED_WITH_SPECIAL_FILES = with(EXPECTED, "sub/hard-inside", "inside\n");

    /** Issue 20's payload for a code workspace: one 4 MiB file, then 2,000 hard links to it (8 GB to a walk that reads every name). */
    public static final String PYTHON_LINK_FLOOD = """
            import os
            open('big.bin', 'wb').write(b'x' * (4 << 20))
            for i in range(2000):
                os.link('big.bin', 'l%d' % i)
            """;

    private SymlinkCorpus() {}

    /**
     * Adds to a corpus made by {@link #create}: a hard link to a file inside and one to the secret outside
     * (a regular file, but with a name elsewhere), a FIFO (opening it would block for ever), a hard link
     * and a symbolic link to it, a UNIX socket, symbolic links to host devices, and where the machine lets
     * the test make one (root, with the mknod capability) a {@code /dev/zero} device node of its own.
     */
    public static void addSpecialFiles(Path root, Path outside) throws Exception {
        Files.createLink(root.resolve("sub/hard-inside"), root.resolve("inside.txt"));
        Files.createLink(root.resolve("hard-outside"), outside.resolve("secret.txt"));
        command("mkfifo", root.resolve("fifo").toString());
        Files.createLink(root.resolve("sub/hard-fifo"), root.resolve("fifo"));
        link(root.resolve("link-to-fifo"), Path.of("fifo"));
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(root.resolve("socket")));
        }
        link(root.resolve("zero"), Path.of("/dev/zero"));
        link(root.resolve("urandom"), Path.of("/dev/urandom"));
        link(root.resolve("tty"), Path.of("/dev/tty"));
        try {
            command("mknod", root.resolve("sub/zero-node").toString(), "c", "1", "5");
        } catch (IllegalStateException notPermitted) {
            // the FIFO and the links above stand for the special files; a device node needs root's mknod capability
        }
    }

    /**
     * Adds {@code big.bin} of {@code bytes} bytes and {@code names} hard links ({@code hard-N}) and as
     * many symbolic links ({@code sym-N}) to it: {@code 2 * names + 1} copies to whoever reads names.
     */
    public static void addFlood(Path root, int names, int bytes) throws IOException {
        Path big = root.resolve("big.bin");
        byte[] text = new byte[bytes];
        Arrays.fill(text, (byte) 'x');
        Files.write(big, text);
        for (int i = 0; i < names; i++) {
            Files.createLink(root.resolve("hard-" + i), big);
            link(root.resolve("sym-" + i), Path.of("big.bin"));
        }
    }

    private static void command(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output);
        }
    }

    private static Map<String, String> with(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new HashMap<>(map);
        copy.put(key, value);
        return Map.copyOf(copy);
    }

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
