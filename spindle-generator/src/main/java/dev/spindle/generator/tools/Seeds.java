package dev.spindle.generator.tools;

import dev.spindle.generator.config.ConfigException;
import dev.spindle.generator.config.GeneratorConfig.Seed;
import java.io.IOException;
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
 * The files of a {@code scenario_seed}: a folder's text files, a git repository's files at a ref,
 * then the inline {@code files} (which win on the same path). Read once per run; sessions are forked
 * from one seeded template, so the seed is never rewritten per sample. Binary files, {@code .git}
 * and files over 1 MiB are skipped; the session's quotas still apply when the template is opened.
 */
public final class Seeds {
    private static final long MAX_FILE_BYTES = 1 << 20;

    private Seeds() {}

    public static Map<String, String> files(Seed seed, String source) {
        Map<String, String> files = new LinkedHashMap<>();
        if (seed.dir() != null) {
            if (!Files.isDirectory(seed.dir())) {
                throw new ConfigException(source, List.of("generation.tools.scenario_seed.dir: " + seed.dir() + " is not a folder"));
            }
            files.putAll(readTree(seed.dir()));
        }
        if (seed.git() != null) {
            files.putAll(gitFiles(seed.git(), seed.ref(), source));
        }
        files.putAll(seed.files());
        return files;
    }

    private static Map<String, String> readTree(Path root) {
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
                    String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(path))).toString();
                    if (text.indexOf('\0') < 0) {
                        files.put(root.relativize(path).toString().replace('\\', '/'), text);
                    }
                } catch (CharacterCodingException binary) {
                    // not text: the VFS holds text, so binary files are left out of the seed
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read seed folder " + root + ": " + e.getMessage(), e);
        }
        return files;
    }

    /** A shallow clone with the {@code git} command (a local path or any URL git can reach). */
    private static Map<String, String> gitFiles(String url, String ref, String source) {
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
                throw new ConfigException(source, List.of("generation.tools.scenario_seed.git: git clone " + url
                        + (ref == null ? "" : " at " + ref) + " failed: " + output));
            }
            return readTree(checkout);
        } catch (IOException e) {
            throw new ConfigException(source, List.of("generation.tools.scenario_seed.git: cannot run git: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(source, List.of("generation.tools.scenario_seed.git: interrupted"));
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
