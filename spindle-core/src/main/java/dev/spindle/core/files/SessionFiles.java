package dev.spindle.core.files;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.core.store.SessionData;
import dev.spindle.core.text.Text;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One session's virtual filesystem, over the store. Files live in namespace {@value #FILES} (key: the
 * canonical path, value: the bytes); directories exist implicitly as the parents of files and explicitly
 * in namespace {@value #DIRS} (so that an empty directory can exist); the files that are executable are
 * listed in {@value #MODES}. Every change is one atomic store write that checks the path rules and the
 * quotas first, so a refused change leaves nothing behind, and that moves the files' revision
 * ({@value #REVISION}), so that a copy of the files kept elsewhere (a shell's local workspace) can tell
 * with one read whether it is still current.
 */
public final class SessionFiles {
    public static final String FILES = "files";
    public static final String DIRS = "dirs";
    /** Key: a file's path; present (value {@code 755}) when the file is executable. */
    public static final String MODES = "modes";
    /**
     * One key, {@value #REVISION_KEY}: a random number every change of the files replaces; bookkeeping, not
     * state (a state digest and a snapshot leave it out). Random rather than counted so that a change only
     * writes it: a store that fetches what a call reads (Redis) makes no extra round trip for it.
     */
    public static final String REVISION = "files.revision";
    private static final String REVISION_KEY = "n";
    private static final byte[] EXECUTABLE = "755".getBytes(StandardCharsets.US_ASCII);

    private final KeyValueStore store;
    private final String session;
    private final PathPolicy policy;
    private final Quotas quotas;

    public SessionFiles(KeyValueStore store, String session, PathPolicy policy, Quotas quotas) {
        this.store = store;
        this.session = session;
        this.policy = policy;
        this.quotas = quotas;
    }

    public Quotas quotas() {
        return quotas;
    }

    public VPath file(String raw) {
        return policy.file(raw);
    }

    public VPath directory(String raw) {
        return policy.directory(raw);
    }

    /** The file's bytes; {@code FileNotFound} (or {@code IsADirectory}) when there is no such file. */
    public byte[] read(VPath path) {
        return store.read(session, data -> {
            byte[] bytes = data.get(FILES, path.key());
            if (bytes == null) {
                throw missingFile(data, path);
            }
            return bytes;
        });
    }

    /** The file as text; {@code BinaryFile}, with its size, when it is not UTF-8 text (a program wrote bytes). */
    public String readText(VPath path) {
        byte[] bytes = read(path);
        return text(path, bytes);
    }

    /** {@code bytes} of {@code path} as text, or {@code BinaryFile}. */
    public static String text(VPath path, byte[] bytes) {
        return Text.utf8(bytes).orElseThrow(() -> new SpindleException(ErrorType.BinaryFile,
                "'" + path + "' is a binary file of " + bytes.length + " bytes, not UTF-8 text; text tools cannot show or edit it "
                        + "(look into it with a command, e.g. bash: file, xxd, python3)"));
    }

    /** Creates or replaces a file; answers its size in bytes. */
    public int write(VPath path, byte[] content) {
        change(tree -> {
            tree.put(path, content);
            return null;
        });
        return content.length;
    }

    /** Writes many files in one atomic step (seeding): all of them or, on any refusal, none. */
    public void writeAll(Map<VPath, byte[]> files) {
        writeAll(files, List.of());
    }

    /**
     * Writes many files and explicit directories in one atomic step, each by the rules of {@code write_file}
     * and {@code make_directory} (no file where a directory is, no file or directory below a file, the quotas):
     * all of them or, on any refusal, none.
     */
    public void writeAll(Map<VPath, byte[]> files, Collection<VPath> directories) {
        change(tree -> {
            files.forEach(tree::put);
            directories.forEach(tree::makeDirectory);
            return null;
        });
    }

    /**
     * Refuses files and directories that {@link #writeAll(Map, Collection)} would refuse in an empty
     * session, storing nothing: the check for a tree that arrives whole from outside (a snapshot archive),
     * so that it holds nothing a session could not.
     */
    public static void checkTree(Map<VPath, byte[]> files, Collection<VPath> directories, Quotas quotas) {
        new SessionFiles(new MemoryStore(), "", PathPolicy.defaults(), quotas).writeAll(files, directories);
    }

    /**
     * Changes a file in one atomic read-modify-write: {@code change} gets the current bytes (null when
     * the file is absent and {@code create} is true) and returns the new ones. Answers the new size.
     */
    public int update(VPath path, boolean create, UnaryOperator<byte[]> edit) {
        return change(tree -> {
            byte[] current = tree.data.get(FILES, path.key());
            if (current == null && !create) {
                throw missingFile(tree.data, path);
            }
            byte[] updated = edit.apply(current);
            tree.put(path, updated);
            return updated.length;
        });
    }

    public void delete(VPath path) {
        change(tree -> {
            if (!tree.data.delete(FILES, path.key())) {
                throw missingFile(tree.data, path);
            }
            tree.data.delete(MODES, path.key());
            return null;
        });
    }

    /** Creates a directory and its parents; succeeds when it already exists. Answers whether it was new. */
    public boolean makeDirectory(VPath dir) {
        return change(tree -> tree.makeDirectory(dir));
    }

    /** Moves (or, with {@code keepSource}, copies) a file or a whole directory; answers the entries moved. */
    public int transfer(VPath source, VPath destination, boolean keepSource) {
        return change(tree -> {
            SessionData data = tree.data;
            boolean isFile = tree.files.containsKey(source.key());
            if (!isFile && !tree.isDirectory(source.key())) {
                throw new SpindleException(ErrorType.FileNotFound, "No such file or directory: " + source);
            }
            if (source.isRoot()) {
                throw new SpindleException(ErrorType.InvalidArguments, "The session root cannot be moved or copied");
            }
            if (tree.files.containsKey(destination.key()) || tree.isDirectory(destination.key())) {
                throw new SpindleException(ErrorType.AlreadyExists, "Destination already exists: " + destination + " (delete it first, or pick a new name)");
            }
            if (!isFile && source.contains(destination.key())) {
                throw new SpindleException(ErrorType.InvalidArguments, "Cannot put directory '" + source + "' inside itself");
            }
            Map<String, byte[]> movedFiles = new LinkedHashMap<>();
            Map<String, byte[]> movedDirs = new LinkedHashMap<>();
            Map<String, byte[]> movedModes = new LinkedHashMap<>();
            if (isFile) {
                movedFiles.put(destination.key(), data.get(FILES, source.key()));
                if (data.get(MODES, source.key()) != null) {
                    movedModes.put(destination.key(), EXECUTABLE);
                }
            } else {
                String from = source.childPrefix();
                String to = destination.childPrefix();
                data.entries(FILES).subMap(from, from + Character.MAX_VALUE).forEach((k, v) -> movedFiles.put(to + k.substring(from.length()), v));
                data.sizes(MODES).subMap(from, from + Character.MAX_VALUE).keySet().forEach(k -> movedModes.put(to + k.substring(from.length()), EXECUTABLE));
                tree.dirs.subMap(from, from + Character.MAX_VALUE).keySet().forEach(k -> movedDirs.put(to + k.substring(from.length()), new byte[0]));
                movedDirs.put(destination.key(), new byte[0]);
            }
            tree.requireParentsAreDirectories(destination);
            if (keepSource) {
                tree.checkEntries(movedFiles.size() + movedDirs.size());
                tree.checkTotal(movedFiles.values().stream().mapToLong(b -> b.length).sum());
            } else {
                removeTree(data, tree, source, isFile);
            }
            movedFiles.forEach((k, v) -> data.put(FILES, k, v));
            movedDirs.forEach((k, v) -> data.put(DIRS, k, v));
            movedModes.forEach((k, v) -> data.put(MODES, k, v));
            return movedFiles.size();
        });
    }

    private void removeTree(SessionData data, Tree tree, VPath path, boolean isFile) {
        if (isFile) {
            data.delete(FILES, path.key());
            data.delete(MODES, path.key());
            return;
        }
        String prefix = path.childPrefix();
        tree.files.subMap(prefix, prefix + Character.MAX_VALUE).keySet().forEach(k -> {
            data.delete(FILES, k);
            data.delete(MODES, k);
        });
        tree.dirs.subMap(prefix, prefix + Character.MAX_VALUE).keySet().forEach(k -> data.delete(DIRS, k));
        data.delete(DIRS, path.key());
    }

    /** Runs one change of the tree as one atomic store write, and moves the revision with it. */
    private <T> T change(Function<Tree, T> work) {
        return store.write(session, data -> {
            Tree tree = new Tree(data);
            T result = work.apply(tree);
            tree.changed();
            return result;
        });
    }

    /** The files' revision: a new one with every change; 0 for a session whose files never changed. */
    public long revision() {
        return store.read(session, SessionFiles::revision);
    }

    private static long revision(SessionData data) {
        byte[] value = data.get(REVISION, REVISION_KEY);
        return value == null ? 0 : java.nio.ByteBuffer.wrap(value).getLong();
    }

    /** Everything of the files at one revision, read at once: what a local copy is made from. */
    public record Snapshot(long revision, NavigableMap<String, byte[]> files, java.util.NavigableSet<String> directories,
                           java.util.Set<String> executables) {}

    public Snapshot snapshot() {
        return store.read(session, data -> new Snapshot(revision(data), data.entries(FILES),
                new java.util.TreeSet<>(data.sizes(DIRS).keySet()), new java.util.HashSet<>(data.sizes(MODES).keySet())));
    }

    /**
     * What a program changed in a copy of the files: contents written, files deleted, directories it made
     * and left empty (kept, as {@code create_directory} keeps them) and explicit ones it removed, executable
     * bits set or cleared. {@code bases} holds, for the paths it writes or deletes, the SHA-256 of the content
     * the copy started from (null: absent), so that a change made meanwhile by someone else to the same path
     * is found rather than overwritten; a copy made for one run only (a code run's) gives none.
     */
    public record Changes(Map<VPath, byte[]> writes, Collection<VPath> deletes, Collection<VPath> madeDirectories,
                          Collection<VPath> removedDirectories, Map<VPath, Boolean> executable, Map<String, byte[]> bases) {
        public Changes(Map<VPath, byte[]> writes, Collection<VPath> deletes, Collection<VPath> madeDirectories, Collection<VPath> removedDirectories) {
            this(writes, deletes, madeDirectories, removedDirectories, Map.of(), Map.of());
        }

        public boolean isEmpty() {
            return writes.isEmpty() && deletes.isEmpty() && madeDirectories.isEmpty() && removedDirectories.isEmpty() && executable.isEmpty();
        }
    }

    /**
     * Applies a copy's changes in one atomic step: deletes, then writes and directories, each checked like
     * {@code write_file} and {@code create_directory} (paths, quotas): all of them or, on a refusal, none. A path that someone else changed since the copy was made is a
     * {@code Conflict}, and then nothing is applied either. Answers the revision after the change.
     */
    public long apply(Changes changes) {
        return store.write(session, data -> {
            for (Map.Entry<String, byte[]> base : changes.bases().entrySet()) {
                byte[] now = data.get(FILES, base.getKey());
                if (!java.util.Arrays.equals(now == null ? null : sha256(now), base.getValue())) {
                    throw new SpindleException(ErrorType.Conflict, "'" + base.getKey()
                            + "' was changed by another call while the command ran; nothing of the command's changes was kept");
                }
            }
            for (VPath path : changes.deletes()) {
                data.delete(FILES, path.key());
                data.delete(MODES, path.key());
            }
            for (VPath dir : changes.removedDirectories()) {
                data.delete(DIRS, dir.key());
            }
            Tree tree = new Tree(data);
            changes.writes().forEach(tree::put);
            changes.madeDirectories().forEach(tree::makeDirectory);
            changes.executable().forEach((path, executable) -> {
                if (executable) {
                    data.put(MODES, path.key(), EXECUTABLE);
                } else {
                    data.delete(MODES, path.key());
                }
            });
            return tree.changed();
        });
    }

    private static byte[] sha256(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether the file is executable; false for a file that does not exist. */
    public boolean isExecutable(VPath path) {
        return store.read(session, data -> data.get(MODES, path.key()) != null);
    }

    public boolean isDirectory(VPath path) {
        return store.read(session, data -> new Tree(data).isDirectory(path.key()));
    }

    public boolean isFile(VPath path) {
        return store.read(session, data -> data.get(FILES, path.key()) != null);
    }

    /** Every file (key to size), in path order. */
    public NavigableMap<String, Integer> sizes() {
        return store.read(session, data -> data.sizes(FILES));
    }

    /** Every explicit directory key, in path order. */
    public NavigableMap<String, Integer> explicitDirectories() {
        return store.read(session, data -> data.sizes(DIRS));
    }

    /** Every file below {@code dir} with its content, in path order. */
    public NavigableMap<String, byte[]> contents(VPath dir) {
        return store.read(session, data -> {
            NavigableMap<String, byte[]> all = data.entries(FILES);
            if (dir.isRoot()) {
                return all;
            }
            String prefix = dir.childPrefix();
            return new TreeMap<>(all.subMap(prefix, prefix + Character.MAX_VALUE));
        });
    }

    /** A missing directory is {@code FileNotFound}; a file where a directory was expected is {@code NotADirectory}. */
    public void requireDirectory(VPath dir) {
        store.read(session, data -> {
            if (data.get(FILES, dir.key()) != null) {
                throw new SpindleException(ErrorType.NotADirectory, "Not a directory: " + dir);
            }
            if (!new Tree(data).isDirectory(dir.key())) {
                throw new SpindleException(ErrorType.FileNotFound, "Directory not found: " + dir);
            }
            return null;
        });
    }

    private SpindleException missingFile(SessionData data, VPath path) {
        if (new Tree(data).isDirectory(path.key())) {
            return new SpindleException(ErrorType.IsADirectory, "Is a directory: " + path + " (use list_directory to see what it holds)");
        }
        return new SpindleException(ErrorType.FileNotFound, "File not found: " + path);
    }

    /** The session's tree as one write (or read) sees it: file sizes and explicit directories. */
    private final class Tree {
        final SessionData data;
        final NavigableMap<String, Integer> files;
        final NavigableMap<String, Integer> dirs;

        Tree(SessionData data) {
            this.data = data;
            List<NavigableMap<String, Integer>> sizes = data.sizes(List.of(FILES, DIRS));
            this.files = sizes.get(0);
            this.dirs = sizes.get(1);
        }

        /** Moves the revision; answers the new one (never 0, which means "never changed"). */
        long changed() {
            long next = java.util.concurrent.ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
            data.put(REVISION, REVISION_KEY, java.nio.ByteBuffer.allocate(Long.BYTES).putLong(next).array());
            return next;
        }

        boolean isDirectory(String key) {
            if (key.isEmpty() || dirs.containsKey(key)) {
                return true;
            }
            String prefix = key + "/";
            String next = files.ceilingKey(prefix);
            if (next != null && next.startsWith(prefix)) {
                return true;
            }
            next = dirs.ceilingKey(prefix);
            return next != null && next.startsWith(prefix);
        }

        void requireParentsAreDirectories(VPath path) {
            String key = path.key();
            for (int slash = key.indexOf('/'); slash >= 0; slash = key.indexOf('/', slash + 1)) {
                if (files.containsKey(key.substring(0, slash))) {
                    throw new SpindleException(ErrorType.NotADirectory,
                            "Not a directory: '" + key.substring(0, slash) + "' is a file, so '" + path + "' cannot be created");
                }
            }
        }

        boolean makeDirectory(VPath dir) {
            if (dir.isRoot() || isDirectory(dir.key())) {
                return false;
            }
            if (files.containsKey(dir.key())) {
                throw new SpindleException(ErrorType.AlreadyExists, "'" + dir + "' already exists as a file");
            }
            requireParentsAreDirectories(dir);
            checkEntries(1);
            data.put(DIRS, dir.key(), new byte[0]);
            dirs.put(dir.key(), 0);
            return true;
        }

        void put(VPath path, byte[] content) {
            if (path.isRoot() || isDirectory(path.key())) {
                throw new SpindleException(ErrorType.IsADirectory, "Is a directory: " + path + " (give a file path inside it)");
            }
            requireParentsAreDirectories(path);
            if (content.length > quotas.maxFileBytes()) {
                throw new SpindleException(ErrorType.QuotaExceeded,
                        "File '" + path + "' would be " + content.length + " bytes; the limit per file is " + quotas.maxFileBytes() + " bytes");
            }
            Integer previous = files.get(path.key());
            if (previous == null) {
                checkEntries(1);
            }
            checkTotal(content.length - (previous == null ? 0 : previous));
            data.put(FILES, path.key(), content);
            files.put(path.key(), content.length);
        }

        void checkEntries(int added) {
            int entries = files.size() + dirs.size();
            if (entries + added > quotas.maxEntries()) {
                throw new SpindleException(ErrorType.QuotaExceeded,
                        "The session holds " + entries + " files and directories; the limit is " + quotas.maxEntries() + ". Delete some first");
            }
        }

        void checkTotal(long addedBytes) {
            long total = files.values().stream().mapToLong(Integer::longValue).sum();
            if (total + addedBytes > quotas.maxTotalBytes()) {
                throw new SpindleException(ErrorType.QuotaExceeded,
                        "The session's files would take " + (total + addedBytes) + " bytes; the limit is " + quotas.maxTotalBytes() + " bytes. Delete or shrink files first");
            }
        }
    }
}
