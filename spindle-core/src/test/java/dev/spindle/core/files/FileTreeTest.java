package dev.spindle.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The safe tree walk's own rules; the hostile corpora run through it in SeedSourcesTest and the workspace tests. */
@Timeout(60)
class FileTreeTest {
    private static final Quotas ROOMY = new Quotas(1 << 20, 100, 1 << 20);

    @TempDir
    Path dir;

    @Test
    void anEmptyDirectoryIsAnEntryAndOneThatHoldsSomethingIsNot() throws Exception {
        Files.createDirectories(dir.resolve("a/b/c"));
        Files.createDirectories(dir.resolve("d"));
        Files.writeString(dir.resolve("d/file.txt"), "x");
        FileTree tree = FileTree.walk(dir, "The tree", FileTree.Rules.within(ROOMY));
        assertThat(tree.files()).extracting(FileTree.Entry::path).containsExactly("d/file.txt");
        assertThat(tree.directories()).containsExactly("a", "a/b", "a/b/c", "d");
        assertThat(tree.emptyDirectories()).containsExactly("a/b/c");
        assertThat(FileTree.walk(dir, "The tree", FileTree.Rules.within(new Quotas(1 << 20, 2, 1 << 20))).files()).hasSize(1);
        var refused = catchThrowableOfType(SpindleException.class, () -> FileTree.walk(dir, "The tree", FileTree.Rules.within(new Quotas(1 << 20, 1, 1 << 20))));
        assertThat(refused.type()).isEqualTo(ErrorType.QuotaExceeded);
        assertThat(refused.getMessage()).isEqualTo("The tree would hold more than 1 files, directories and links; the limit is 1");
    }

    @Test
    void aHardLinkedFileIsReadOnceForAllItsNamesAndEachNameCountsInFull() throws Exception {
        Files.writeString(dir.resolve("one.txt"), "0123456789");
        Files.createLink(dir.resolve("two.txt"), dir.resolve("one.txt"));
        FileTree tree = FileTree.walk(dir, "The tree", FileTree.Rules.within(ROOMY));
        assertThat(tree.files()).extracting(FileTree.Entry::path).containsExactly("one.txt", "two.txt");
        assertThat(tree.read(tree.files().get(0))).isSameAs(tree.read(tree.files().get(1))).asString().isEqualTo("0123456789");
        var refused = catchThrowableOfType(SpindleException.class, () -> FileTree.walk(dir, "The tree", FileTree.Rules.within(new Quotas(1 << 20, 100, 19))));
        assertThat(refused.type()).isEqualTo(ErrorType.QuotaExceeded);
        assertThat(refused.getMessage()).contains("would take more than 19 bytes");
    }

    @Test
    void aSymbolicLinkIsSkippedUnlessLinksInsideAreCopied() throws Exception {
        Files.writeString(dir.resolve("real.txt"), "real");
        Files.createSymbolicLink(dir.resolve("copy.txt"), Path.of("real.txt"));
        Files.createSymbolicLink(dir.resolve("up"), Path.of(".."));
        assertThat(FileTree.walk(dir, "The tree", FileTree.Rules.within(ROOMY)).files()).extracting(FileTree.Entry::path).containsExactly("real.txt");
        FileTree copied = FileTree.walk(dir, "The tree", FileTree.Rules.within(ROOMY).withLinksInsideCopied());
        assertThat(copied.files()).extracting(FileTree.Entry::path).containsExactly("copy.txt", "real.txt");
        assertThat(copied.skipped()).isEqualTo(1);
    }

    @Test
    void aFileOverTheLimitIsRefusedAndOneLeftOutIsNotCounted() throws Exception {
        Files.write(dir.resolve("big.bin"), new byte[2000]);
        var refused = catchThrowableOfType(SpindleException.class, () -> FileTree.walk(dir, "The tree", FileTree.Rules.within(new Quotas(1000, 100, 1 << 20))));
        assertThat(refused.getMessage()).isEqualTo("The tree: file 'big.bin' is 2000 bytes; the limit per file is 1000 bytes");
        FileTree tree = FileTree.walk(dir, "The tree", FileTree.Rules.within(new Quotas(1000, 100, 1 << 20)).withLeftOut((path, attributes) -> attributes.size() > 1000));
        assertThat(tree.files()).isEmpty();
        assertThat(tree.skipped()).isZero();
    }

    @Test
    void theDepthStopsTheDescent() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("top.txt"), "top");
        Files.writeString(dir.resolve("sub/deep.txt"), "deep");
        assertThat(FileTree.walk(dir, "The tree", FileTree.Rules.within(ROOMY).withMaxDepth(1)).files()).extracting(FileTree.Entry::path).containsExactly("top.txt");
    }

    @Test
    void aFileThatGrewAfterTheWalkIsRefusedRatherThanReadOn() throws Exception {
        Files.writeString(dir.resolve("log.txt"), "short");
        FileTree tree = FileTree.walk(dir, "The tree", FileTree.Rules.within(ROOMY));
        Files.writeString(dir.resolve("log.txt"), "much longer now");
        assertThatThrownBy(() -> tree.read(tree.files().get(0))).isInstanceOf(IOException.class).hasMessageContaining("grew while it was read");
    }

    @Test
    void oneRegularFileIsReadOnlyWhenItIsOneAndWithinItsBound() throws Exception {
        Path file = Files.writeString(dir.resolve("answer.json"), "{}");
        assertThat(RegularFile.read(file, 2)).asString().isEqualTo("{}");
        assertThatThrownBy(() -> RegularFile.read(file, 1)).isInstanceOf(IOException.class).hasMessageContaining("is 2 bytes; the limit is 1 bytes");
        Path link = Files.createSymbolicLink(dir.resolve("passwd.json"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> RegularFile.read(link, 1 << 20)).isInstanceOf(IOException.class).hasMessageContaining("is a symbolic link, not a regular file");
    }
}
