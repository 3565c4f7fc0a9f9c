package dev.spindle.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The read-only system a command sees: the host's {@code /usr} (with the merged-{@code /usr} links beside it
 * and only the harmless files of the host's {@code /etc}), or a whole directory tree brought by the user (a
 * {@code debootstrap} tree, an exported container image) whose top-level system folders are bound instead.
 * Either way nothing else of the host is there: no {@code /home}, {@code /root}, {@code /etc/shadow}, no
 * server files. {@code /etc/passwd}, {@code /etc/group}, {@code /etc/hosts} and a git identity are Spindle's
 * own, so that the sandbox user has a name and nothing of the host's accounts shows.
 */
public final class RootFilesystem {
    /** Top-level folders a root may bring; anything else in it (home, root, proc, a stray file) is left out. */
    private static final List<String> SYSTEM_FOLDERS = List.of("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "opt", "etc", "var", "srv");
    /** What of the host's /etc programs need (dynamic linking, alternatives, Python's site setup) and tells nothing. */
    private static final List<String> HOST_ETC = List.of("alternatives", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime",
            "mime.types", "nsswitch.conf", "os-release", "debian_version", "protocols", "services", "python3", "python3.11",
            "python3.12", "python3.13", "bash.bashrc", "inputrc", "gitconfig", "ssl");

    private final Path source;
    private final boolean host;

    private RootFilesystem(Path source, boolean host) {
        this.source = source;
        this.host = host;
    }

    /** The host's own system, read-only. */
    public static RootFilesystem host() {
        return new RootFilesystem(Path.of("/"), true);
    }

    /** A directory tree as the whole system; it must hold a {@code usr} or {@code bin} folder. */
    public static RootFilesystem directory(Path root) {
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("sandbox root " + root + " does not exist");
        }
        if (!Files.isDirectory(real.resolve("usr")) && !Files.isDirectory(real.resolve("bin"))) {
            throw new IllegalArgumentException("sandbox root " + root + " has neither usr/ nor bin/: not a root filesystem");
        }
        return new RootFilesystem(real, false);
    }

    public String describe() {
        return host ? "host" : source.toString();
    }

    /** Where a program at this absolute path would be found in the sandbox, if it is there (following the root's own links). */
    public Optional<Path> find(String program) {
        for (String dir : List.of("/usr/local/bin", "/usr/bin", "/bin")) {
            Path candidate = resolveInside(dir + "/" + program, 0);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(Path.of(dir, program));
            }
        }
        return Optional.empty();
    }

    /** A path of the sandbox as a path of the host, links resolved as the sandbox would (absolute ones against the root). */
    private Path resolveInside(String sandboxPath, int depth) {
        if (depth > 16) {
            return null;
        }
        Path current = source;
        for (Path part : Path.of(sandboxPath).normalize()) {
            current = current.resolve(part.toString());
            if (Files.isSymbolicLink(current)) {
                try {
                    Path target = Files.readSymbolicLink(current);
                    String inside = target.isAbsolute() ? target.toString()
                            : "/" + source.relativize(current.getParent()).resolve(target).normalize();
                    current = resolveInside(inside, depth + 1);
                    if (current == null) {
                        return null;
                    }
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return current.startsWith(source) ? current : null;
    }

    /**
     * The bubblewrap arguments that lay this root out; {@code etc} holds Spindle's own account files. Made
     * once per sandbox. The host's {@code /etc} entries are copied into {@code etc}, which is then bound
     * whole: one mount instead of twenty per command (each bind costs bubblewrap a pass over the mount
     * table: 3-4 ms a command together); what the host changes there later shows after a restart.
     */
    List<String> arguments(Path etc) {
        List<String> args = new ArrayList<>();
        for (String folder : SYSTEM_FOLDERS) {
            Path entry = source.resolve(folder);
            if (folder.equals("etc")) {
                continue; // below: only what programs need, and our own account files
            }
            if (host && !List.of("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32").contains(folder)) {
                continue; // the host's /opt, /var and /srv are its own business
            }
            if (Files.isSymbolicLink(entry)) {
                try {
                    args.addAll(List.of("--symlink", Files.readSymbolicLink(entry).toString(), "/" + folder));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                args.addAll(List.of("--ro-bind", entry.toString(), "/" + folder));
            }
        }
        if (host) {
            copyHostEtc(source.resolve("etc"), etc);
            args.addAll(List.of("--ro-bind", etc.toString(), "/etc"));
            return args;
        }
        args.addAll(List.of("--dir", "/etc"));
        Path etcSource = source.resolve("etc");
        try (var entries = Files.isDirectory(etcSource, LinkOption.NOFOLLOW_LINKS) ? Files.list(etcSource) : java.util.stream.Stream.<Path>empty()) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS) || Files.exists(etc.resolve(name)) || name.equals("shadow") || name.equals("gshadow")) {
                    continue;
                }
                if (Files.isSymbolicLink(entry)) {
                    args.addAll(List.of("--symlink", Files.readSymbolicLink(entry).toString(), "/etc/" + name));
                } else {
                    args.addAll(List.of("--ro-bind", entry.toString(), "/etc/" + name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (var own = Files.list(etc)) {
            for (Path entry : (Iterable<Path>) own::iterator) {
                args.addAll(List.of("--ro-bind", entry.toString(), "/etc/" + entry.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return args;
    }

    /**
     * Copies what programs need of the host's /etc beside Spindle's own files (which win): links as links,
     * and only what any user may read, so nothing private (a {@code ssl/private}) comes along.
     */
    private static void copyHostEtc(Path hostEtc, Path etc) {
        try {
            for (String name : HOST_ETC) {
                Path entry = hostEtc.resolve(name);
                if (Files.exists(entry, LinkOption.NOFOLLOW_LINKS) && !Files.exists(etc.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                    copyReadable(entry, etc.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the host's /etc files for the sandbox", e);
        }
    }

    private static void copyReadable(Path from, Path to) throws IOException {
        if (Files.isSymbolicLink(from)) {
            Files.createSymbolicLink(to, Files.readSymbolicLink(from));
            return;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(from, LinkOption.NOFOLLOW_LINKS);
        if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            if (!mode.contains(PosixFilePermission.OTHERS_READ) || !mode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return;
            }
            Files.createDirectory(to);
            try (var children = Files.list(from)) {
                for (Path child : (Iterable<Path>) children::iterator) {
                    copyReadable(child, to.resolve(child.getFileName().toString()));
                }
            }
        } else if (Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS) && mode.contains(PosixFilePermission.OTHERS_READ)) {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
