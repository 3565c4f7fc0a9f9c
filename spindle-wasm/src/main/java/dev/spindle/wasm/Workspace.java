package dev.spindle.wasm;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.FileTree;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The session's files as a directory a module can open: an in-memory copy (jimfs, never the host's
 * disk) mounted at {@code /workspace} (or another path), and afterwards what the module changed written
 * back to the session through the same path rules and quotas as {@code write_file}.
 */
public final class Workspace implements AutoCloseable {
    /** Where a component module sees the session's files. */
    public static final String GUEST_PATH = "/workspace";

    private static final int BLOCK = 4096;
    private static final String KEPT_NOTHING = " (nothing the run changed was kept)";

    private final FileSystem fs;
    private SessionFiles files;
    private NavigableMap<String, byte[]> before;
    private Set<String> directoriesBefore;
    private final Path root;

    Workspace(SessionFiles files) {
        this(files, GUEST_PATH);
    }

    /** The session's files copied under {@code mountPath} of a fresh in-memory filesystem. */
    public Workspace(SessionFiles files, String mountPath) {
        this.files = files;
        // the module writes into host memory: cap it at what the session may hold (bytes, plus a block per
        // entry), so a write loop fails its writes instead of filling the heap before the quota check
        Quotas quotas = files.quotas();
        long room = quotas.maxTotalBytes() + (long) quotas.maxEntries() * BLOCK;
        this.fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setAttributeViews("basic", "unix")
                .setBlockSize(BLOCK).setMaxSize(room).build());
        this.root = fs.getPath(mountPath);
        load(files);
    }

    /**
     * Replaces the directory's content by the session's files as they are now (a kept instance's next
     * run must see what other tools wrote since); {@link #writeBack} then compares with these.
     */
    public void refresh(SessionFiles current) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).filter(path -> !path.equals(root)).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        load(current);
    }

    private void load(SessionFiles current) {
        this.files = current;
        this.before = current.contents(current.directory(null));
        this.directoriesBefore = Set.copyOf(current.explicitDirectories().keySet());
        try {
            Files.createDirectories(root);
            for (String dir : directoriesBefore) {
                Files.createDirectories(root.resolve(dir));
            }
            for (Map.Entry<String, byte[]> file : before.entrySet()) {
                Path path = root.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.write(path, file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory to preopen for the module, under the path given at creation. */
    public Path root() {
        return root;
    }

    /**
     * Writes back, atomically, the new and changed files, the deleted ones, and the directories made empty
     * or removed. The tree is walked as a {@link FileTree} and checked against the session's quotas before a
     * byte is read: a thousand hard links to one large file are a thousand copies, refused whole.
     */
    public void writeBack() {
        try {
            FileTree tree = walk();
            Map<FileTree.Entry, VPath> paths = new LinkedHashMap<>();
            tree.files().forEach(file -> paths.put(file, sessionPath(file.path(), false)));
            List<VPath> made = tree.emptyDirectories().stream().filter(dir -> !directoriesBefore.contains(dir)).map(dir -> sessionPath(dir, true)).toList();
            List<VPath> removed = directoriesBefore.stream().filter(dir -> !tree.directories().contains(dir)).map(files::directory).toList();
            Map<VPath, byte[]> writes = new LinkedHashMap<>();
            Set<String> after = new HashSet<>();
            for (Map.Entry<FileTree.Entry, VPath> file : paths.entrySet()) {
                byte[] bytes = tree.read(file.getKey());
                after.add(file.getKey().path());
                if (!Arrays.equals(before.get(file.getKey().path()), bytes)) {
                    writes.put(file.getValue(), bytes);
                }
            }
            List<VPath> deletes = before.keySet().stream().filter(key -> !after.contains(key)).map(files::file).toList();
            SessionFiles.Changes changes = new SessionFiles.Changes(writes, deletes, made, removed);
            if (!changes.isEmpty()) {
                files.apply(changes);
            }
        } catch (IOException e) {
            throw new SpindleException(ErrorType.ComponentFailed, "Cannot read the module's " + root + ": " + e.getMessage());
        }
    }

    private FileTree walk() throws IOException {
        try {
            return FileTree.walk(root, "The files after the run", FileTree.Rules.within(files.quotas()).withLinksInsideCopied());
        } catch (SpindleException refused) {
            throw new SpindleException(refused.type(), refused.getMessage() + KEPT_NOTHING);
        }
    }

    /**
     * The session path of a name the module made, refused (typed) when the session would store it under
     * another name: {@code a\b} would become {@code a/b}, and names that were not UTF-8 all arrive as one
     * name with U+FFFD, so two of them would have been one file. Names the session already has are its own.
     */
    private VPath sessionPath(String name, boolean directory) {
        if (before.containsKey(name) || directoriesBefore.contains(name)) {
            return directory ? files.directory(name) : files.file(name);
        }
        if (name.indexOf('\uFFFD') >= 0) {
            throw new SpindleException(ErrorType.InvalidArguments, "The run made '" + name + "', whose name is not valid UTF-8 (shown with U+FFFD);"
                    + " session file names are UTF-8 text: give it another name" + KEPT_NOTHING);
        }
        VPath path = directory ? files.directory(name) : files.file(name);
        if (!path.key().equals(name)) {
            throw new SpindleException(ErrorType.InvalidArguments, "The run made '" + name + "', which the session would store as '" + path.key() + "'"
                    + (name.indexOf('\\') >= 0 ? " (a backslash separates directories in session paths)" : "") + ": give it another name" + KEPT_NOTHING);
        }
        return path;
    }

    @Override
    public void close() {
        try {
            fs.close();
        } catch (IOException ignored) {
            // an in-memory filesystem: nothing to release beyond memory
        }
    }
}
