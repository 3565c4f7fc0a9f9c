package dev.spindle.wasm;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
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

    private final FileSystem fs;
    private SessionFiles files;
    private NavigableMap<String, byte[]> before;
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
        try {
            Files.createDirectories(root);
            for (String dir : current.explicitDirectories().keySet()) {
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

    /** Writes back new and changed files and removes deleted ones, atomically. */
    public void writeBack() {
        Map<VPath, byte[]> writes = new LinkedHashMap<>();
        List<VPath> deletes = new ArrayList<>();
        Map<String, byte[]> after = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                after.put(root.relativize(path).toString(), Files.readAllBytes(path));
            }
        } catch (IOException e) {
            throw new SpindleException(ErrorType.ComponentFailed, "Cannot read the module's " + root + ": " + e.getMessage());
        }
        after.forEach((key, bytes) -> {
            if (!Arrays.equals(before.get(key), bytes)) {
                writes.put(files.file(key), bytes);
            }
        });
        before.keySet().stream().filter(key -> !after.containsKey(key)).forEach(key -> deletes.add(files.file(key)));
        if (!writes.isEmpty() || !deletes.isEmpty()) {
            files.apply(writes, deletes);
        }
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
