package dev.spindle.core.files;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.core.store.SessionData;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * One session's virtual filesystem, over the store. Files live in namespace {@value #FILES} (key: the
 * canonical path, value: the bytes); directories exist implicitly as the parents of files and explicitly
 * in namespace {@value #DIRS} (so that an empty directory can exist). Every change is one atomic store
 * write that checks the path rules and the quotas first, so a refused change leaves nothing behind.
 */
public final class SessionFiles {
    public static final String FILES = "files";
    public static final String DIRS = "dirs";

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

    public String readText(VPath path) {
        return new String(read(path), StandardCharsets.UTF_8);
    }

    /** Creates or replaces a file; answers its size in bytes. */
    public int write(VPath path, byte[] content) {
        store.write(session, data -> {
            new Tree(data).put(path, content);
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
        store.write(session, data -> {
            Tree tree = new Tree(data);
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
    public int update(VPath path, boolean create, UnaryOperator<byte[]> change) {
        return store.write(session, data -> {
            byte[] current = data.get(FILES, path.key());
            if (current == null && !create) {
                throw missingFile(data, path);
            }
            byte[] updated = change.apply(current);
            new Tree(data).put(path, updated);
            return updated.length;
        });
    }

    /**
     * What a program changed in a copy of the session's files: files written and deleted, directories it
     * made and left empty (kept, as {@code create_directory} keeps them) and explicit ones it removed.
     */
    public record Changes(Map<VPath, byte[]> writes, Collection<VPath> deletes, Collection<VPath> madeDirectories, Collection<VPath> removedDirectories) {
        public boolean isEmpty() {
            return writes.isEmpty() && deletes.isEmpty() && madeDirectories.isEmpty() && removedDirectories.isEmpty();
        }
    }

    /**
     * Applies a program's changes in one atomic step: deletes, then writes and directories, each checked
     * like {@code write_file} and {@code create_directory} (paths, quotas). All of it or, on a refusal, none.
     */
    public void apply(Changes changes) {
        store.write(session, data -> {
            changes.deletes().forEach(path -> data.delete(FILES, path.key()));
            changes.removedDirectories().forEach(dir -> data.delete(DIRS, dir.key()));
            Tree tree = new Tree(data);
            changes.writes().forEach(tree::put);
            changes.madeDirectories().forEach(tree::makeDirectory);
            return null;
        });
    }

    public void delete(VPath path) {
        store.write(session, data -> {
            if (!data.delete(FILES, path.key())) {
                throw missingFile(data, path);
            }
            return null;
        });
    }

    /** Creates a directory and its parents; succeeds when it already exists. Answers whether it was new. */
    public boolean makeDirectory(VPath dir) {
        return store.write(session, data -> new Tree(data).makeDirectory(dir));
    }

    /** Moves (or, with {@code keepSource}, copies) a file or a whole directory; answers the entries moved. */
    public int transfer(VPath source, VPath destination, boolean keepSource) {
        return store.write(session, data -> {
            Tree tree = new Tree(data);
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
            if (isFile) {
                movedFiles.put(destination.key(), data.get(FILES, source.key()));
            } else {
                String from = source.childPrefix();
                String to = destination.childPrefix();
                data.entries(FILES).subMap(from, from + Character.MAX_VALUE).forEach((k, v) -> movedFiles.put(to + k.substring(from.length()), v));
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
            return movedFiles.size();
        });
    }

    private void removeTree(SessionData data, Tree tree, VPath path, boolean isFile) {
        if (isFile) {
            data.delete(FILES, path.key());
            return;
        }
        String prefix = path.childPrefix();
        tree.files.subMap(prefix, prefix + Character.MAX_VALUE).keySet().forEach(k -> data.delete(FILES, k));
        tree.dirs.subMap(prefix, prefix + Character.MAX_VALUE).keySet().forEach(k -> data.delete(DIRS, k));
        data.delete(DIRS, path.key());
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
