package dev.spindle.sandbox;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One session's files as a host directory ({@link #files}, bound at {@code /workspace}) plus a small
 * control directory ({@link #control}) for what the shell keeps between commands. It remembers what it
 * last took from or gave to the store (each file's size, times, inode, mode and SHA-256), so that catching
 * up writes only files that differ and committing reads only files whose metadata moved. What a command
 * leaves that a session cannot hold (symbolic links, FIFOs, sockets, devices, names the path rules
 * refuse) is removed and reported, never followed or opened; sizes and counts are checked against the
 * quotas from metadata before any content is read.
 */
public final class LocalWorkspace {
    private final Path dir;
    /** Which session of its id this copy is of: a later session of the same id gets a new workspace. */
    private final String incarnation;
    private final Path files;
    private final Path control;
    private final Quotas quotas;
    private final Mounts mounts;
    /** Where a workspace's first files may come from as a shared read-only layer; null without mounts. */
    private final Bases bases;
    private Bases.Base base;
    private long baseBytes;
    private final ReentrantLock lock = new ReentrantLock();
    /** What the directory holds as the store last knew it: regular files by session path. */
    private final Map<String, Entry> manifest = new HashMap<>();
    /** The explicit directories the store held at the last catch-up or commit. */
    private Set<String> explicitDirectories = Set.of();
    private long revision = -1;
    /**
     * What the overlay's upper layer held (each entry's inode, change time, size and mode) when the directory
     * last matched the store; null without a base, or when it may not match. The base below never changes,
     * so the same upper layer means the same files: a command that wrote nothing is committed without
     * reading the whole tree.
     */
    private Set<String> settledUpper;
    /** How many commits read the whole tree (the tests and benchmarks look). */
    private long scans;
    private volatile long lastUsed = System.nanoTime();
    private volatile long bytes;
    private boolean closed;
    /** What users of the workspace keep with it (a command cgroup, a kernel process), closed with it. */
    private final Map<String, AutoCloseable> attachments = new HashMap<>();

    private record Entry(long size, long modified, long changed, long inode, boolean executable, byte[] sha) {}

    /** Sessions smaller than this copy their files; larger ones start from a shared base ({@link Bases}). */
    static final int BASE_MIN_FILES = 32;

    LocalWorkspace(Path dir, String incarnation, Quotas quotas, Mounts mounts, Bases bases) throws IOException {
        this.dir = dir;
        this.incarnation = incarnation;
        this.files = Files.createDirectories(dir.resolve("files"));
        this.control = Files.createDirectories(dir.resolve("control"));
        this.quotas = quotas;
        this.mounts = mounts;
        this.bases = bases;
    }

    /** The session's files, the command's working tree. */
    public Path files() {
        return files;
    }

    /** Spindle's own small files for this session (the shell's saved state); not part of the session's files. */
    public Path control() {
        return control;
    }

    long bytes() {
        return bytes;
    }

    long lastUsed() {
        return lastUsed;
    }

    void lock() {
        lock.lock();
    }

    boolean tryLock() {
        return lock.tryLock();
    }

    void unlock() {
        lock.unlock();
    }

    boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    String incarnation() {
        return incarnation;
    }

    boolean closed() {
        return closed;
    }

    /** Makes the directory what the store holds, writing only what differs; one read when the revision did not move. */
    void catchUp(SessionFiles session) {
        lastUsed = System.nanoTime();
        if (revision >= 0 && session.revision() == revision) {
            return;
        }
        SessionFiles.Snapshot snapshot = session.snapshot();
        try {
            if (startsFromBase(snapshot)) {
                return;
            }
            for (var file : snapshot.files().entrySet()) {
                String key = file.getKey();
                boolean executable = snapshot.executables().contains(key);
                byte[] sha = sha256(file.getValue());
                Entry known = manifest.get(key);
                if (known != null && known.executable == executable && Arrays.equals(known.sha, sha)) {
                    continue;
                }
                Path path = files.resolve(key);
                clearWay(path);
                Files.createDirectories(path.getParent());
                Files.write(path, file.getValue());
                setExecutable(path, executable);
                manifest.put(key, stat(path, executable, sha));
            }
            for (String key : List.copyOf(manifest.keySet())) {
                if (!snapshot.files().containsKey(key)) {
                    Files.deleteIfExists(files.resolve(key));
                    manifest.remove(key);
                }
            }
            Set<String> wanted = new HashSet<>(snapshot.directories());
            manifest.keySet().forEach(key -> addParents(key, wanted));
            snapshot.directories().forEach(key -> addParents(key, wanted)); // an explicit directory's parents may be implicit
            for (String key : snapshot.directories()) {
                Files.createDirectories(files.resolve(key));
            }
            removeAllBut(wanted, snapshot.files().keySet());
            explicitDirectories = new HashSet<>(snapshot.directories());
        } catch (IOException e) {
            revision = -1;
            settledUpper = null;
            throw new SpindleException(ErrorType.IOError, "cannot bring the local workspace up to date: " + e.getMessage());
        }
        revision = snapshot.revision();
        countBytes();
        settle();
    }

    /** Notes the upper layer now that the directory matches the store (see {@link #settledUpper}). */
    private void settle() {
        try {
            settledUpper = base == null ? null : upperLayer();
        } catch (IOException | UncheckedIOException e) {
            settledUpper = null; // the next commit reads the whole tree
        }
    }

    /** Every entry of the upper layer, directories included, with what any change to it moves. */
    private Set<String> upperLayer() throws IOException {
        Path upper = dir.resolve("upper");
        Set<String> entries = new HashSet<>();
        try (var walk = Files.walk(upper)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Map<String, Object> unix = Files.readAttributes(path, "unix:ino,ctime,size,mode", LinkOption.NOFOLLOW_LINKS);
                entries.add(upper.relativize(path) + "\0" + unix.get("ino") + ":" + nanos((java.nio.file.attribute.FileTime) unix.get("ctime"))
                        + ":" + unix.get("size") + ":" + unix.get("mode"));
            }
        }
        return entries;
    }

    long scans() {
        return scans;
    }

    /** The disk this workspace holds of its own: a shared base is counted by the bases, not here. */
    private void countBytes() {
        bytes = Math.max(0, manifest.values().stream().mapToLong(Entry::size).sum() - baseBytes);
    }

    /**
     * A new workspace of many files mounts the shared base of exactly these files below a layer of its own
     * changes, instead of writing them: forks of one template share their files on disk.
     */
    private boolean startsFromBase(SessionFiles.Snapshot snapshot) throws IOException {
        if (bases == null || base != null || revision >= 0 || !manifest.isEmpty() || snapshot.files().size() < BASE_MIN_FILES) {
            return false;
        }
        Bases.Base shared = bases.acquire(snapshot);
        try {
            mounts.overlay(shared.dir(), Files.createDirectories(dir.resolve("upper")), Files.createDirectories(dir.resolve("work")), files);
        } catch (IOException e) {
            bases.release(shared);
            throw e;
        }
        base = shared;
        for (var file : snapshot.files().entrySet()) {
            boolean executable = snapshot.executables().contains(file.getKey());
            manifest.put(file.getKey(), stat(files.resolve(file.getKey()), executable, sha256(file.getValue())));
        }
        explicitDirectories = new HashSet<>(snapshot.directories());
        revision = snapshot.revision();
        baseBytes = manifest.values().stream().mapToLong(Entry::size).sum();
        bytes = 0;
        settle();
        return true;
    }

    /** A file where a directory must go, or a directory where a file must go, is in the way of the store's tree. */
    private void clearWay(Path path) throws IOException {
        for (Path parent = path.getParent(); !parent.equals(files); parent = parent.getParent()) {
            if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(parent);
                manifest.remove(files.relativize(parent).toString());
            }
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Sandbox.deleteTree(path);
        }
    }

    /** Deletes what the store does not hold: after a refused commit, what the command left; else directories emptied by the store. */
    private void removeAllBut(Set<String> directories, Set<String> regularFiles) throws IOException {
        List<Path> extra = new ArrayList<>();
        Files.walkFileTree(files, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (!d.equals(files) && !directories.contains(files.relativize(d).toString())) {
                    extra.add(d);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (!attrs.isRegularFile() || !regularFiles.contains(files.relativize(f).toString())) {
                    extra.add(f);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        for (Path path : extra) {
            Sandbox.deleteTree(path);
        }
    }

    private static void addParents(String key, Set<String> into) {
        for (int slash = key.lastIndexOf('/'); slash > 0; slash = key.lastIndexOf('/', slash - 1)) {
            if (!into.add(key.substring(0, slash))) {
                return;
            }
        }
    }

    /**
     * Commits what the last command changed: one atomic write of its changes, or, when they break a quota or
     * meet a conflict, none (the directory is then put back as the store has it, and the refusal thrown).
     * Answers notes on what was left out.
     */
    List<String> commit(SessionFiles session) {
        lastUsed = System.nanoTime();
        if (unchangedSinceSettled()) {
            return List.of();
        }
        scans++;
        Scan scan = scan(session);
        try {
            checkQuotas(scan);
            SessionFiles.Changes changes = changes(scan);
            if (!changes.isEmpty()) {
                revision = session.apply(changes);
                for (String key : scan.changedKeys) {
                    Path path = files.resolve(key);
                    if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                        manifest.put(key, stat(path, isExecutable(path), scan.shas.get(key)));
                    } else {
                        manifest.remove(key);
                    }
                }
                countBytes();
                Set<String> now = new HashSet<>(explicitDirectories);
                changes.madeDirectories().forEach(d -> now.add(d.key()));
                changes.removedDirectories().forEach(d -> now.remove(d.key()));
                explicitDirectories = now;
            }
            settle();
            return scan.notes;
        } catch (SpindleException e) {
            rollBack(session);
            throw e;
        } catch (IOException e) {
            rollBack(session);
            throw new SpindleException(ErrorType.IOError, "cannot read what the command wrote: " + e.getMessage());
        }
    }

    private boolean unchangedSinceSettled() {
        try {
            return settledUpper != null && settledUpper.equals(upperLayer());
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Puts the directory back as the store holds it, rewriting only the files whose metadata moved. */
    void rollBack(SessionFiles session) {
        manifest.entrySet().removeIf(known -> {
            Path path = files.resolve(known.getKey());
            try {
                return !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || !sameMetadata(known.getValue(), path,
                        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)) || isExecutable(path) != known.getValue().executable;
            } catch (IOException e) {
                return true;
            }
        });
        revision = -1;
        settledUpper = null;
        catchUp(session);
    }

    /** What the directory holds after a command: regular files with their metadata, directories, and what was removed. */
    private static final class Scan {
        final Map<String, BasicFileAttributes> regular = new TreeMap<>();
        final Map<String, Path> paths = new HashMap<>();
        final Set<String> directories = new TreeSet<>();
        final List<String> notes = new ArrayList<>();
        final Set<String> changedKeys = new HashSet<>();
        final Map<String, byte[]> shas = new HashMap<>();
    }

    private Scan scan(SessionFiles session) {
        Scan scan = new Scan();
        try {
            Files.walkFileTree(files, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (d.equals(files)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String refusal = refusal(session, d, true);
                    if (refusal != null) {
                        scan.notes.add(refusal);
                        Sandbox.deleteTree(d);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    scan.directories.add(files.relativize(d).toString());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    String refusal = attrs.isRegularFile() ? refusal(session, f, false) : kind(attrs) + " " + quote(f) + " was not kept: a session holds regular files and directories only";
                    if (refusal != null) {
                        scan.notes.add(refusal);
                        Files.delete(f);
                        return FileVisitResult.CONTINUE;
                    }
                    String key = files.relativize(f).toString();
                    scan.regular.put(key, attrs);
                    scan.paths.put(key, f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    scan.notes.add(quote(f) + " could not be read and was not kept: " + e.getMessage());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scan;
    }

    private static String kind(BasicFileAttributes attrs) {
        return attrs.isSymbolicLink() ? "The symbolic link" : "The special file";
    }

    /** Why the session cannot hold this name (the path rules, a name that is not UTF-8 or has a backslash), or null. */
    private String refusal(SessionFiles session, Path path, boolean directory) {
        String relative = files.relativize(path).toString();
        // the JDK decodes a name that is not UTF-8 with U+FFFD for each bad byte, so two such names would collide
        if (relative.indexOf('\uFFFD') >= 0) {
            return "A name that is not UTF-8 (" + quote(path) + ") was not kept: a session's paths are Unicode text";
        }
        if (relative.indexOf('\\') >= 0) {
            return quote(path) + " was not kept: a session's paths cannot hold a backslash";
        }
        try {
            if (directory) {
                session.directory(relative);
            } else {
                session.file(relative);
            }
            return null;
        } catch (SpindleException e) {
            return quote(path) + " was not kept: " + e.getMessage();
        }
    }

    private String quote(Path path) {
        return "'" + files.relativize(path).toString().replaceAll("\\p{Cntrl}", "?") + "'";
    }

    private void checkQuotas(Scan scan) {
        Set<String> implied = new HashSet<>();
        scan.regular.keySet().forEach(key -> addParents(key, implied));
        long explicit = scan.directories.stream().filter(d -> !implied.contains(d)).count();
        long entries = scan.regular.size() + explicit;
        if (entries > quotas.maxEntries()) {
            throw new SpindleException(ErrorType.QuotaExceeded, "The command left " + entries
                    + " files and directories; a session may hold " + quotas.maxEntries() + ". None of its changes were kept");
        }
        long total = 0;
        for (var file : scan.regular.entrySet()) {
            long size = file.getValue().size();
            if (size > quotas.maxFileBytes()) {
                throw new SpindleException(ErrorType.QuotaExceeded, "The command left '" + file.getKey() + "' of " + size
                        + " bytes; the limit per file is " + quotas.maxFileBytes() + " bytes. None of its changes were kept");
            }
            total += size;
        }
        if (total > quotas.maxTotalBytes()) {
            throw new SpindleException(ErrorType.QuotaExceeded, "The command left " + total + " bytes of files; the limit is "
                    + quotas.maxTotalBytes() + " bytes. None of its changes were kept");
        }
    }

    private SessionFiles.Changes changes(Scan scan) throws IOException {
        Map<VPath, byte[]> writes = new LinkedHashMap<>();
        Map<VPath, Boolean> executable = new LinkedHashMap<>();
        Set<VPath> deletes = new HashSet<>();
        Map<String, byte[]> bases = new HashMap<>();
        for (var file : scan.regular.entrySet()) {
            String key = file.getKey();
            Path path = scan.paths.get(key);
            Entry known = manifest.get(key);
            boolean exec = isExecutable(path);
            VPath vpath = new VPath(key, key);
            if (known == null || !sameMetadata(known, path, file.getValue())) {
                byte[] content = Files.readAllBytes(path);
                byte[] sha = sha256(content);
                scan.shas.put(key, sha);
                if (known == null || !Arrays.equals(known.sha, sha)) {
                    writes.put(vpath, content);
                    bases.put(key, known == null ? null : known.sha);
                }
                scan.changedKeys.add(key);
            } else {
                scan.shas.put(key, known.sha);
            }
            if (exec != (known != null && known.executable)) {
                executable.put(vpath, exec);
                scan.changedKeys.add(key);
            }
        }
        for (var known : manifest.entrySet()) {
            if (!scan.regular.containsKey(known.getKey())) {
                deletes.add(new VPath(known.getKey(), known.getKey()));
                bases.put(known.getKey(), known.getValue().sha);
                scan.changedKeys.add(known.getKey());
            }
        }
        Set<String> implied = new HashSet<>();
        scan.regular.keySet().forEach(key -> addParents(key, implied));
        Set<VPath> directories = new HashSet<>();
        for (String d : scan.directories) {
            if (!implied.contains(d) && !explicitDirectories.contains(d)) {
                directories.add(new VPath(d, d));
            }
        }
        Set<VPath> removed = new HashSet<>();
        for (String d : explicitDirectories) {
            if (!scan.directories.contains(d)) {
                removed.add(new VPath(d, d));
            }
        }
        return new SessionFiles.Changes(writes, deletes, directories, removed, executable, bases);
    }

    private static boolean sameMetadata(Entry known, Path path, BasicFileAttributes attrs) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:ino,ctime", LinkOption.NOFOLLOW_LINKS);
        return known.size == attrs.size() && known.modified == nanos(attrs.lastModifiedTime())
                && known.changed == nanos((java.nio.file.attribute.FileTime) unix.get("ctime")) && known.inode == (long) unix.get("ino");
    }

    private static long nanos(java.nio.file.attribute.FileTime time) {
        return time.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static Entry stat(Path path, boolean executable, byte[] sha) throws IOException {
        Map<String, Object> unix = Files.readAttributes(path, "unix:size,lastModifiedTime,ctime,ino", LinkOption.NOFOLLOW_LINKS);
        return new Entry((long) unix.get("size"), nanos((java.nio.file.attribute.FileTime) unix.get("lastModifiedTime")),
                nanos((java.nio.file.attribute.FileTime) unix.get("ctime")), (long) unix.get("ino"), executable, sha);
    }

    private static boolean isExecutable(Path path) throws IOException {
        return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
    }

    private static void setExecutable(Path path, boolean executable) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        boolean changed = executable ? permissions.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE))
                : permissions.removeAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
        if (changed) {
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * What the workspace keeps under {@code name}, made by {@code make} on first use (null when there is
     * none to make: asked once); closed when the workspace goes.
     */
    public <T extends AutoCloseable> T attachment(String name, java.util.function.Supplier<T> make) {
        AutoCloseable kept = attachments.computeIfAbsent(name, k -> {
            T made = make.get();
            return made == null ? NOTHING : made;
        });
        @SuppressWarnings("unchecked")
        T found = kept == NOTHING ? null : (T) kept;
        return found;
    }

    private static final AutoCloseable NOTHING = () -> {};

    /** Removes the directory and its mount, and closes its attachments; the session's files stay in the store. */
    void destroy() {
        closed = true;
        for (AutoCloseable attachment : attachments.values()) {
            try {
                attachment.close();
            } catch (Exception e) {
                java.util.logging.Logger.getLogger(LocalWorkspace.class.getName()).warning(() -> "event=attachment_close_failed error=" + e.getMessage());
            }
        }
        attachments.clear();
        try {
            if (base != null) {
                mounts.unmount(files);
                bases.release(base);
                base = null;
            }
            if (mounts != null) {
                mounts.unmount(dir);
            }
            Sandbox.deleteTree(dir);
        } catch (IOException | UncheckedIOException e) {
            java.util.logging.Logger.getLogger(LocalWorkspace.class.getName()).warning(() -> "event=workspace_left path=" + dir + " error=" + e.getMessage());
        }
    }
}
