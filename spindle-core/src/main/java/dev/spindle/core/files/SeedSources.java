package dev.spindle.core.files;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>The folder is walked as a {@link FileTree}: links are never followed (a seed is often someone else's
 * repository, and a link to {@code /etc/passwd} must not put the host's files into a session), FIFOs,
 * sockets and devices are never opened, and a seed past 100,000 entries or 256 MiB is refused whole
 * ({@code QuotaExceeded}) before it is read. A symbolic link to a file inside the folder (checked on its
 * real path) is copied as that file, and so is each name of a hard-linked file whose names are all inside;
 * every other link is skipped and counted in the log.
 */
public final class SeedSources {
    public static final Duration GIT_TIMEOUT = Duration.ofMinutes(5);

    private static final Logger LOG = Logger.getLogger(SeedSources.class.getName());
    private static final long MAX_FILE_BYTES = 1 << 20;
    /**
     * The most a seed may hold, refused whole past it before a byte is read: well above what a session
     * holds by default (10,000 entries, 64 MiB), so the session's own quotas refuse first where they are set.
     */
    private static final FileTree.Rules RULES = FileTree.Rules.within(new Quotas(MAX_FILE_BYTES, 100_000, 256L << 20))
            .withLeftOut(SeedSources::leftOut).withLinksInsideCopied();
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
        return folder(root, "The seed folder " + root);
    }

    private static Map<String, String> folder(Path root, String what) {
        if (!Files.isDirectory(root)) {
            throw new SpindleException(ErrorType.FileNotFound, root + " is not a folder");
        }
        try {
            // The root itself was chosen by whoever configured the seed (the server checks it stays under its seed root).
            FileTree tree = FileTree.walk(root, what, RULES);
            Map<String, String> files = new TreeMap<>();
            for (FileTree.Entry file : tree.files()) {
                String text = text(tree.read(file));
                if (text != null) {
                    files.put(file.path(), text);
                }
            }
            if (tree.skipped() > 0) {
                LOG.info(() -> "seed " + root + ": skipped " + tree.skipped() + " link(s) and special file(s) that lead outside the folder, to a directory, or nowhere");
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed folder " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code .git} (whose config may hold credentials; only that name: {@code .github/} and {@code .gitignore}
     * are ordinary seed files) and files over 1 MiB, which are left out unread.
     */
    private static boolean leftOut(String path, BasicFileAttributes attributes) {
        return path.equals(".git") || path.endsWith("/.git") || attributes.isRegularFile() && attributes.size() > MAX_FILE_BYTES;
    }

    /** The text, or null when it is not UTF-8 text (sessions hold text). */
    private static String text(byte[] bytes) {
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
            return folder(checkout, "The repository " + url);
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
