package dev.spindle.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.testing.Prerequisite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A root brought by the user: a tiny one made from Debian's busybox-static, as a debootstrap tree or an exported image would be. */
@Timeout(60)
class RootFilesystemTest {
    /** bin/busybox and a link per applet the test uses; an etc with a file that must not show, and a home that must not either. */
    static Path busyboxRoot(Path dir) throws IOException {
        Path busybox = Path.of("/bin/busybox");
        Prerequisite.require(Files.isExecutable(busybox), "SPINDLE_REQUIRE_SANDBOX", "busybox-static is not installed");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(busybox, bin.resolve("busybox"));
        for (String applet : List.of("sh", "ls", "cat", "echo", "id", "wc", "true")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/motd"), "from the root\n");
        Files.writeString(dir.resolve("etc/shadow"), "root:secret\n");
        Files.createDirectories(dir.resolve("home/someone"));
        return dir;
    }

    @Test
    void commandsRunOnAGivenRootAndSeeOnlyItsSystemFolders(@TempDir Path dir) throws IOException {
        Path root = busyboxRoot(dir.resolve("root"));
        Sandbox.Availability availability = Sandbox.open(RootFilesystem.directory(root), dir.resolve("home"));
        Prerequisite.require(availability.get().isPresent(), "SPINDLE_REQUIRE_SANDBOX", "no sandbox here: " + availability.reason());
        try (Sandbox sandbox = availability.sandbox()) {
            assertThat(sandbox.root().find("bash")).isEmpty();
            assertThat(sandbox.root().find("sh")).contains(Path.of("/bin/sh"));
            Path workspace = Files.createDirectories(dir.resolve("ws"));
            Sandbox.Run run = sandbox.run(new Sandbox.Invocation(List.of("/bin/sh", "-c", "cat /etc/motd; ls /; cat /etc/shadow 2>&1; ls /home; id -u"),
                    workspace, Map.of(), Limits.DEFAULTS, Duration.ofSeconds(20), 4096, List.of()));
            assertThat(run.failure()).isEmpty();
            assertThat(run.stdout().text()).startsWith("from the root\n").contains("workspace").endsWith("1000\n");
            assertThat(run.stdout().text()).doesNotContain("secret").doesNotContain("someone");
        }
    }

    @Test
    void aFolderThatIsNoRootIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> RootFilesystem.directory(dir)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a root filesystem");
        assertThatThrownBy(() -> RootFilesystem.directory(dir.resolve("missing"))).hasMessageContaining("does not exist");
    }
}
