package dev.spindle.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.testing.Allocation;
import dev.spindle.testing.Git;
import dev.spindle.testing.SymlinkCorpus;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    void aFolderSeedTakesHardLinksInsideAsCopiesAndNeverOpensFifosSocketsOrDevices() throws Exception {
        Path root = Files.createDirectories(dir.resolve("seed"));
        SymlinkCorpus.create(root, dir.resolve("outside"));
        SymlinkCorpus.addSpecialFiles(root, dir.resolve("outside"));
        Map<String, String> seed = SeedSources.folder(root); // a FIFO opened would block here until the class's timeout
        assertThat(seed).containsExactlyInAnyOrderEntriesOf(SymlinkCorpus.EXPECTED_WITH_SPECIAL_FILES);
        assertThat(String.join("", seed.values())).doesNotContain(SymlinkCorpus.SECRET);
    }

    @Test
    void aFolderOfThousandsOfLinksToOneFileIsRefusedWholeBeforeItIsRead() throws Exception {
        Path root = Files.createDirectories(dir.resolve("seed"));
        SymlinkCorpus.addFlood(root, 2_000, 1 << 20);
        long allocated = Allocation.ofAllThreads();
        var refused = catchThrowableOfType(SpindleException.class, () -> SeedSources.folder(root));
        assertThat(refused.type()).isEqualTo(ErrorType.QuotaExceeded);
        assertThat(refused.getMessage()).contains("would take more than 268435456 bytes").contains("copy of its own");
        assertThat(Allocation.ofAllThreads() - allocated).as("bytes allocated: 4,001 names of 1 MiB were not read").isLessThan(64L << 20);
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
