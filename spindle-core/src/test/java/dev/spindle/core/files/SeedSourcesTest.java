package dev.spindle.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.testing.Git;
import dev.spindle.testing.SymlinkCorpus;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SeedSourcesTest {
    @TempDir
    Path dir;

    @Test
    void aFolderSeedNeverFollowsALinkOutOfTheFolder() throws Exception {
        Path root = Files.createDirectories(dir.resolve("seed"));
        SymlinkCorpus.create(root, dir.resolve("outside"));
        assertThat(SeedSources.folder(root)).containsExactlyInAnyOrderEntriesOf(SymlinkCorpus.EXPECTED);
    }

    @Test
    void aLinkedRootIsTheFolderItLinksTo() throws Exception {
        Path root = Files.createDirectories(dir.resolve("seed"));
        SymlinkCorpus.create(root, dir.resolve("outside"));
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked-seed"), root);
        assertThat(SeedSources.folder(linkedRoot)).containsExactlyInAnyOrderEntriesOf(SymlinkCorpus.EXPECTED);
    }

    @Test
    void aGitSeedNeverFollowsALinkOutOfTheCheckout() throws Exception {
        Path root = Files.createDirectories(dir.resolve("seed"));
        SymlinkCorpus.create(root, dir.resolve("outside"));
        Git.run(root, "init", "-q", "-b", "main");
        Git.run(root, "add", "-A");
        Git.run(root, "commit", "-q", "-m", "links");
        assertThat(SeedSources.git(root.toString(), "main")).containsExactlyInAnyOrderEntriesOf(SymlinkCorpus.EXPECTED);
    }

    @Test
    void aCloneThatHangsIsStoppedAtItsTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            long start = System.nanoTime();
            var timeout = catchThrowableOfType(SpindleException.class,
                    () -> SeedSources.git("http://127.0.0.1:" + silent.getLocalPort() + "/repo.git", null, Duration.ofSeconds(1)));
            assertThat(timeout.type()).isEqualTo(ErrorType.Timeout);
            assertThat(timeout.getMessage()).contains("longer than 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .map(p -> p.info().command().orElse("")).filter(c -> c.contains("git"))).isEmpty();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
