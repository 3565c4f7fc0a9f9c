package dev.spindle.core.files;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * A directory tree the server did not write (a code run's workspace, a seed folder or clone, the datasets
 * folder), walked the safe way: no link is ever followed, special files (FIFOs, sockets, devices) are
 * skipped and never opened, and the sizes and counts are checked against limits from metadata alone, so
 * that a tree past them is refused whole ({@code QuotaExceeded}) before a byte is read.
 *
 * <p>Every name the walk meets counts as an entry, skipped ones included, except what the rules leave out
 * and a directory that holds something (like a session's implicit directories). A file with several hard links is read once (by its
 * file key), but each of its names counts in full: the session has no links, so each name becomes a copy
 * of its own, and a thousand names of one 4 MiB file weigh 4 GB. A hard-linked file is taken only when
 * all its names are in the walk; one that also has a name elsewhere (outside the folder) is skipped.
 * Symbolic links are skipped, except, when {@link Rules#withLinksInsideCopied} says so, a link to a
 * regular file inside the tree, which is taken as a copy of that file.
 *
 * <p>Reads are bounded too: a file is read up to the size the walk saw, and one that grew since is refused.
 * One thread at a time.
 */
public final class FileTree {
    /** A file to take: its {@code /}-separated path in the tree, the regular file holding its bytes, and their size. */
    public record Entry(String path, Path file, long size, Object key) {}

    /**
     * What a walk takes. {@code limits} refuse the tree; {@code maxDepth} stops the descent (1: the root's
     * own children only); {@code leftOut} drops a path (and, for a directory, all below it) without
     * counting it, given its path in the tree and its own attributes.
     */
    public record Rules(Quotas limits, int maxDepth, BiPredicate<String, BasicFileAttributes> leftOut, boolean linksInsideCopied) {
        public static Rules within(Quotas limits) {
            return new Rules(limits, Integer.MAX_VALUE, (path, attributes) -> false, false);
        }

        public Rules withMaxDepth(int depth) {
            return new Rules(limits, depth, leftOut, linksInsideCopied);
        }

        public Rules withLeftOut(BiPredicate<String, BasicFileAttributes> predicate) {
            return new Rules(limits, maxDepth, predicate, linksInsideCopied);
        }

        public Rules withLinksInsideCopied() {
            return new Rules(limits, maxDepth, leftOut, true);
        }
    }

    private final Path root;
    private final List<Entry> files;
    private final NavigableSet<String> directories;
    private final NavigableSet<String> emptyDirectories;
    private final int skipped;
    private final Map<Object, byte[]> read = new HashMap<>();

    private FileTree(Path root, List<Entry> files, NavigableSet<String> directories, NavigableSet<String> emptyDirectories, int skipped) {
        this.root = root;
        this.files = files;
        this.directories = directories;
        this.emptyDirectories = emptyDirectories;
        this.skipped = skipped;
    }

    /**
     * Walks {@code root} (itself followed if it is a link: whoever configured it chose it). {@code what}
     * names the tree in refusals ("The files the code left"); an {@link IOException} is a walk that failed.
     */
    public static FileTree walk(Path root, String what, Rules rules) throws IOException {
        Walk walk = new Walk(root.toRealPath(), what, rules);
        Files.walkFileTree(walk.root, EnumSet.noneOf(FileVisitOption.class), rules.maxDepth, walk);
        return walk.tree();
    }

    /** The root as walked (its real path); every entry's {@code file} is below it. */
    public Path root() {
        return root;
    }

    /** The files to take, in path order. */
    public List<Entry> files() {
        return files;
    }

    /** Every directory below the root, empty or not, in path order. */
    public NavigableSet<String> directories() {
        return directories;
    }

    /** The directories that hold nothing taken (a session keeps these explicitly). */
    public NavigableSet<String> emptyDirectories() {
        return emptyDirectories;
    }

    /** Links and special files left out. */
    public int skipped() {
        return skipped;
    }

    /** The entry's bytes, read once per file (hard links and links share them), never past the size the walk saw. */
    public byte[] read(Entry entry) throws IOException {
        byte[] bytes = read.get(entry.key);
        if (bytes == null) {
            bytes = RegularFile.readUpTo(entry.file, entry.size);
            read.put(entry.key, bytes);
        }
        return bytes;
    }

    private static final class Walk extends SimpleFileVisitor<Path> {
        final Path root;
        final String what;
        final Rules rules;
        final List<Entry> files = new ArrayList<>();
        final NavigableSet<String> directories = new TreeSet<>();
        final NavigableSet<String> emptyDirectories = new TreeSet<>();
        /** For each open directory, whether something below it was taken or counted. */
        final Deque<boolean[]> holding = new ArrayDeque<>();
        final Map<Object, Integer> namesSeen = new HashMap<>();
        final Map<Object, Long> linkCounts = new HashMap<>();
        int entries;
        long bytes;
        int skipped;

        Walk(Path root, String what, Rules rules) {
            this.root = root;
            this.what = what;
            this.rules = rules;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
            if (!dir.equals(root)) {
                if (rules.leftOut.test(path(dir), attributes)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                markHolding();
                directories.add(path(dir));
            }
            holding.push(new boolean[1]);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
                throw e;
            }
            boolean empty = !holding.pop()[0];
            if (empty && !dir.equals(root)) {
                emptyDirectories.add(path(dir));
                count();
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            String path = path(file);
            if (rules.leftOut.test(path, attributes)) {
                return FileVisitResult.CONTINUE;
            }
            markHolding();
            count();
            Entry entry = attributes.isRegularFile() ? entry(path, file, attributes)
                    : attributes.isSymbolicLink() && rules.linksInsideCopied ? linkedFile(path, file) : null;
            if (entry == null) {
                skipped++;
                return FileVisitResult.CONTINUE;
            }
            if (entry.size > rules.limits.maxFileBytes()) {
                throw refused(what + ": file '" + path + "' is " + entry.size + " bytes; the limit per file is " + rules.limits.maxFileBytes() + " bytes");
            }
            bytes += entry.size;
            if (bytes > rules.limits.maxTotalBytes()) {
                throw refused(what + " would take more than " + rules.limits.maxTotalBytes() + " bytes by '" + path
                        + "' (each name of a hard-linked or linked file is a copy of its own); the limit is " + rules.limits.maxTotalBytes() + " bytes");
            }
            if (attributes.isRegularFile()) {
                namesSeen.merge(entry.key, 1, Integer::sum); // a link's copy is no name of the file's own
            }
            files.add(entry);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            throw e;
        }

        private Entry entry(String path, Path file, BasicFileAttributes attributes) throws IOException {
            Object key = attributes.fileKey() != null ? attributes.fileKey() : file;
            linkCounts.computeIfAbsent(key, k -> linkCount(file));
            return new Entry(path, file, attributes.size(), key);
        }

        /**
         * The regular file a link leads to, as a copy, when it is inside the root and not left out;
         * null otherwise (dangling, a loop, outside, a directory, a special file).
         */
        private Entry linkedFile(String path, Path link) throws IOException {
            Path target;
            try {
                target = link.toRealPath();
            } catch (IOException dangling) {
                return null;
            }
            if (!target.startsWith(root) || target.equals(root)) {
                return null;
            }
            BasicFileAttributes attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Path relative = root.relativize(target);
            for (int names = 1; names <= relative.getNameCount(); names++) {
                Path step = root.resolve(relative.subpath(0, names));
                if (rules.leftOut.test(path(step), Files.readAttributes(step, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS))) {
                    return null;
                }
            }
            return attributes.isRegularFile() ? entry(path, target, attributes) : null;
        }

        private void markHolding() {
            if (!holding.isEmpty()) {
                holding.peek()[0] = true;
            }
        }

        private void count() {
            if (++entries > rules.limits.maxEntries()) {
                throw refused(what + " would hold more than " + rules.limits.maxEntries() + " files, directories and links; the limit is "
                        + rules.limits.maxEntries());
            }
        }

        private String path(Path path) {
            List<String> names = new ArrayList<>();
            root.relativize(path).forEach(name -> names.add(name.toString()));
            return String.join("/", names);
        }

        /** Without the hard-linked files that also have a name outside the walk (seen fewer times than they have names). */
        FileTree tree() {
            List<Entry> taken = new ArrayList<>();
            for (Entry entry : files) {
                if (namesSeen.getOrDefault(entry.key, 0) >= linkCounts.getOrDefault(entry.key, 1L)) {
                    taken.add(entry);
                } else {
                    skipped++;
                }
            }
            taken.sort(Comparator.comparing(Entry::path));
            return new FileTree(root, Collections.unmodifiableList(taken), Collections.unmodifiableNavigableSet(directories),
                    Collections.unmodifiableNavigableSet(emptyDirectories), skipped);
        }

        private static long linkCount(Path file) {
            try {
                return ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).longValue();
            } catch (UnsupportedOperationException | IllegalArgumentException | IOException noUnixView) {
                return 1;
            }
        }

        private static SpindleException refused(String message) {
            return new SpindleException(ErrorType.QuotaExceeded, message);
        }
    }
}
