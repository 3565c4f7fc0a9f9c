package dev.spindle.core.files;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Session seeds from outside: a folder's text files, or a git repository's files at a ref (a shallow
 * clone with the {@code git} command). Binary files, {@code .git} and files over 1 MiB are left out;
 * the session's path policy and quotas still apply when the files are written. Used by the generator's
 * {@code scenario_seed} and by {@code POST /sessions {"from": ...}}.
 */
public final class SeedSources {
    private static final long MAX_FILE_BYTES = 1 << 20;

    private SeedSources() {}

    /** Path to UTF-8 text for every text file under {@code root}, in path order. */
    public static Map<String, String> folder(Path root) {
        if (!Files.isDirectory(root)) {
            throw new SpindleException(ErrorType.FileNotFound, root + " is not a folder");
        }
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> paths = walk.filter(Files::isRegularFile)
                    .filter(path -> !root.relativize(path).toString().startsWith(".git"))
                    .sorted(Comparator.comparing(Path::toString)).toList();
            for (Path path : paths) {
                if (Files.size(path) > MAX_FILE_BYTES) {
                    continue;
                }
                try {
                    String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(path))).toString();
                    if (text.indexOf('\0') < 0) {
                        files.put(root.relativize(path).toString().replace('\\', '/'), text);
                    }
                } catch (CharacterCodingException binary) {
                    // not text: sessions hold text, so binary files are left out of the seed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read seed folder " + root + ": " + e.getMessage(), e);
        }
        return files;
    }

    /** The files of {@code url} (a local path or any URL git can reach) at {@code ref} (a branch or tag; null: the default branch). */
    public static Map<String, String> git(String url, String ref) {
        Path checkout = null;
        try {
            checkout = Files.createTempDirectory("spindle-seed-");
            List<String> command = new ArrayList<>(List.of("git", "clone", "--quiet", "--depth", "1"));
            if (ref != null) {
                command.addAll(List.of("--branch", ref));
            }
            command.addAll(List.of("--", url, checkout.toString()));
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!git.waitFor(5, TimeUnit.MINUTES) || git.exitValue() != 0) {
                git.destroyForcibly();
                throw new SpindleException(ErrorType.InvalidRequest, "git clone " + url + (ref == null ? "" : " at " + ref) + " failed: " + output);
            }
            return folder(checkout);
        } catch (IOException e) {
            throw new SpindleException(ErrorType.IOError, "cannot run git: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpindleException(ErrorType.Timeout, "interrupted while cloning " + url);
        } finally {
            deleteTree(checkout);
        }
    }

    private static void deleteTree(Path root) {
        if (root == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
