package dev.spindle.sandbox;

import dev.spindle.core.files.SessionFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Read-only copies of file trees, by content, shared by the workspaces that start from the same files (the
 * samples forked from one seeded template): each workspace mounts one as the lower layer of an overlay and
 * keeps only its own changes, so a thousand forks of a thousand-file repository hold its files once.
 */
final class Bases {
    private final Path root;
    private final Map<String, Integer> users = new HashMap<>();

    Bases(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    /**
     * The base holding exactly these files, made on first use; every acquire is matched by a {@link #release}.
     * Its files keep the modes a session's files have (an overlay copies a file up with its mode, and a
     * read-only one could not then be written): the overlay, not the mode, keeps the base unchanged.
     */
    synchronized Base acquire(SessionFiles.Snapshot snapshot) throws IOException {
        String digest = digest(snapshot);
        Path dir = root.resolve(digest);
        if (!users.containsKey(digest)) {
            Path building = Files.createTempDirectory(root, "building-");
            for (var file : snapshot.files().entrySet()) {
                Path path = building.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.write(path, file.getValue());
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(snapshot.executables().contains(file.getKey()) ? "rwxr-xr-x" : "rw-r--r--"));
            }
            for (String directory : snapshot.directories()) {
                Files.createDirectories(building.resolve(directory));
            }
            Files.move(building, dir, StandardCopyOption.ATOMIC_MOVE);
        }
        users.merge(digest, 1, Integer::sum);
        return new Base(digest, dir);
    }

    synchronized void release(Base base) {
        if (users.merge(base.digest(), -1, Integer::sum) <= 0) {
            users.remove(base.digest());
            Sandbox.deleteTree(base.dir());
        }
    }

    /** How many bases there are and the bytes of their files, for the benchmarks. */
    synchronized int count() {
        return users.size();
    }

    record Base(String digest, Path dir) {}

    private static String digest(SessionFiles.Snapshot snapshot) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (var file : snapshot.files().entrySet()) {
                feed(sha, file.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) (snapshot.executables().contains(file.getKey()) ? 1 : 0));
                feed(sha, file.getValue());
            }
            sha.update((byte) 0xff);
            for (String directory : snapshot.directories()) {
                feed(sha, directory.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void feed(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        sha.update(bytes);
    }
}
