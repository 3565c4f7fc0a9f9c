package dev.spindle.core.files;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Session seeds from outside: a folder's text files, or a git repository's files at a ref (a shallow
 * clone with the {@code git} command). Binary files, {@code .git} and files over 1 MiB are left out;
 * the session's path policy and quotas still apply when the files are written. Used by the generator's
 * {@code scenario_seed} and by {@code POST /sessions {"from": ...}}.
 *
 * <p>Symbolic links are never followed: a seed is often someone else's repository, and a link to
 * {@code /etc/passwd} must not put the host's files into a session. A link to a file inside the folder
 * (checked on its real path) is copied as that file; every other link is skipped and counted in the log.
 */
public final class SeedSources {
    public static final Duration GIT_TIMEOUT = Duration.ofMinutes(5);

    private static final Logger LOG = Logger.getLogger(SeedSources.class.getName());
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final Pattern REMOTE_GIT = Pattern.compile("^([a-z][a-z0-9+.-]*://|[^/@:]+@[^/:]+:).*");

    private SeedSources() {}

    /**
     * A seed's {@code from}: folder {@code dir}, or else repository {@code git} at {@code ref}. Folders and
     * local repositories are resolved against {@code root} and refused when they lead out of it (symbolic
     * links included); remote URLs are cloned as given. Used by {@code POST /sessions} (root: the server's
     * seed root) and by task files (root: the task catalogue's folder).
     */
    public static Map<String, String> from(Path root, String dir, String git, String ref) {
        if (dir != null) {
            return folder(inside(root, dir));
        }
        return git(REMOTE_GIT.matcher(git).matches() && !git.startsWith("file:") ? git : inside(root, git).toString(), ref);
    }

    /** {@code path} resolved against {@code root}, symbolic links included; {@code NotAllowed} if it leads out of it. */
    private static Path inside(Path root, String path) {
        Path resolved = root.resolve(path).normalize();
        try {
            if (resolved.startsWith(root) && (!Files.exists(resolved) || resolved.toRealPath().startsWith(root.toRealPath()))) {
                return resolved;
            }
        } catch (IOException e) {
            throw new SpindleException(ErrorType.IOError, "cannot resolve " + path + ": " + e.getMessage());
        }
        throw new SpindleException(ErrorType.NotAllowed, path + " is outside the seed root");
    }

    /** Path to UTF-8 text for every text file under {@code root}, in path order. */
    public static Map<String, String> folder(Path root) {
        if (!Files.isDirectory(root)) {
            throw new SpindleException(ErrorType.FileNotFound, root + " is not a folder");
        }
        try {
            // The root itself was chosen by whoever configured the seed (the server checks it stays under its seed root).
            FolderWalk walk = new FolderWalk(root.toRealPath());
            Files.walkFileTree(walk.root, walk);
            if (walk.skippedLinks > 0) {
                LOG.info(() -> "seed " + root + ": skipped " + walk.skippedLinks + " symbolic link(s) that lead outside the folder, to a directory, or nowhere");
            }
            return walk.files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed folder " + root + ": " + e.getMessage(), e);
        }
    }

    /** Walks without following links (the default of {@code walkFileTree}); links are files with link attributes. */
    private static final class FolderWalk extends SimpleFileVisitor<Path> {
        final Path root;
        final Map<String, String> files = new TreeMap<>();
        int skippedLinks;

        FolderWalk(Path root) {
            this.root = root;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return isGitFolder(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path path, BasicFileAttributes attrs) throws IOException {
            if (isGitFolder(path)) {
                return FileVisitResult.CONTINUE;
            }
            Path content = attrs.isSymbolicLink() ? targetInside(path) : attrs.isRegularFile() ? path : null;
            if (content == null) {
                skippedLinks += attrs.isSymbolicLink() ? 1 : 0;
                return FileVisitResult.CONTINUE;
            }
            String text = text(content);
            if (text != null) {
                files.put(root.relativize(path).toString().replace('\\', '/'), text);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path path, IOException e) throws IOException {
            throw e;
        }

        /**
         * The real file a link leads to when that is a regular seed file inside the root; null otherwise
         * (dangling, a loop, outside, a directory, or inside {@code .git}, whose config may hold credentials).
         */
        private Path targetInside(Path link) {
            try {
                Path target = link.toRealPath();
                if (!target.startsWith(root) || !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                    return null;
                }
                for (Path name : root.relativize(target)) {
                    if (isGitFolder(name)) {
                        return null;
                    }
                }
                return target;
            } catch (IOException dangling) {
                return null;
            }
        }

        /** Only the {@code .git} name itself: {@code .github/} and {@code .gitignore} are ordinary seed files. */
        private static boolean isGitFolder(Path path) {
            return path.getFileName() != null && path.getFileName().toString().equals(".git");
        }
    }

    /** The file's text, or null when it is too big or not UTF-8 text (sessions hold text). Never follows a link. */
    private static String text(Path file) throws IOException {
        byte[] bytes;
        try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            return null;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            return text.indexOf('\0') < 0 ? text : null;
        } catch (CharacterCodingException binary) {
            return null;
        }
    }

    /** The files of {@code url} (a local path or any URL git can reach) at {@code ref} (a branch or tag; null: the default branch). */
    public static Map<String, String> git(String url, String ref) {
        return git(url, ref, GIT_TIMEOUT);
    }

    /** As {@link #git(String, String)}; a clone still running after {@code timeout} is killed and answers {@code Timeout}. */
    public static Map<String, String> git(String url, String ref, Duration timeout) {
        Path checkout = null;
        Path log = null;
        Process git = null;
        String what = "git clone " + url + (ref == null ? "" : " at " + ref);
        try {
            checkout = Files.createTempDirectory("spindle-seed-");
            log = Files.createTempFile("spindle-seed-", ".log");
            // The output goes to a file, so nothing has to read it for git to finish and the timeout below really waits.
            git = gitCommand(url, ref, checkout).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!git.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SpindleException(ErrorType.Timeout, what + " took longer than " + timeout.toSeconds() + " s; it was stopped");
            }
            if (git.exitValue() != 0) {
                throw new SpindleException(ErrorType.InvalidRequest, what + " failed: " + Files.readString(log).strip());
            }
            return folder(checkout);
        } catch (IOException e) {
            throw new SpindleException(ErrorType.IOError, "cannot run git: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpindleException(ErrorType.Timeout, "interrupted while cloning " + url);
        } finally {
            if (git != null && git.isAlive()) {
                stopTree(git.toHandle());
            }
            deleteTree(checkout);
            deleteTree(log);
        }
    }

    /** A shallow clone that never asks anyone anything: no terminal prompt, no credential helper, no askpass program. */
    private static ProcessBuilder gitCommand(String url, String ref, Path checkout) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "credential.helper=", "-c", "core.askPass=",
                "clone", "--quiet", "--depth", "1", "--no-recurse-submodules"));
        if (ref != null) {
            command.addAll(List.of("--branch", ref));
        }
        command.addAll(List.of("--", url, checkout.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GCM_INTERACTIVE", "never");
        env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        env.remove("GIT_ASKPASS");
        env.remove("SSH_ASKPASS");
        return builder;
    }

    /** Kills git and its helpers (git-remote-https, ssh) and waits briefly so that none outlives the call. */
    private static void stopTree(ProcessHandle process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process);
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException stillExiting) {
                // the kernel has the kill signal; nothing more to do
            }
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
