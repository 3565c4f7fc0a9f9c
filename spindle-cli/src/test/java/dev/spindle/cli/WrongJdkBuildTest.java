package dev.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Plain {@code mvn} under an older default JDK (17 on these machines) stops at once with a message that says
 * JDK 25 is needed and how to select it, rather than a JVM that cannot start ({@code .mvn/jvm.config}) or
 * a compiler error about release 25.
 */
@Timeout(120)
class WrongJdkBuildTest {
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    @Test
    void mavenOnAnOlderJdkSaysThatJdk25IsNeededAndHowToSelectIt() throws Exception {
        Optional<Path> oldJdk = olderJdk();
        assumeTrue(oldJdk.isPresent(), "no JDK older than 25 under /usr/lib/jvm");
        assumeTrue(onPath("mvn"), "mvn not on PATH");

        ProcessBuilder mvn = new ProcessBuilder("mvn", "-B", "-o", "-N", "validate")
                .directory(Path.of("..").toAbsolutePath().normalize().toFile()).redirectErrorStream(true);
        mvn.environment().put("JAVA_HOME", oldJdk.get().toString());
        mvn.environment().remove("MAVEN_OPTS");
        Process process = mvn.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(100, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).doesNotContain("Unrecognized option", "Could not create the Java Virtual Machine")
                .contains("Spindle needs JDK 25", "./spindle test", "JAVA_HOME=$(./spindle java-home)");
    }

    /** A JDK whose {@code release} file says a version below 25 (the machine's default 17 here). */
    private static Optional<Path> olderJdk() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")) && major(home) < 25).findFirst();
        }
    }

    private static int major(Path home) {
        try {
            Matcher version = RELEASE_VERSION.matcher(Files.readString(home.resolve("release")));
            return version.find() ? Integer.parseInt(version.group(1)) : Integer.MAX_VALUE;
        } catch (IOException noReleaseFile) {
            return Integer.MAX_VALUE;
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> new File(dir, program).canExecute());
    }
}
