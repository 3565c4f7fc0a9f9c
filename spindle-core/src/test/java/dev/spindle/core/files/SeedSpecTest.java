package dev.spindle.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.config.ConfigText;
import dev.spindle.core.config.Problems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The one seed rule, in both of its shapes: a {@code from} mapping, and source keys beside {@code files}. */
@Timeout(30)
class SeedSpecTest {
    @TempDir
    Path dir;

    private static Problems problems;

    private static SeedSpec read(String yaml, String fromKey) {
        problems = new Problems(ConfigText.parse(yaml, "seed.yaml"));
        return SeedSpec.read(problems.root(), fromKey);
    }

    @Test
    void inlineFilesWinOverTheOneSource() throws Exception {
        Files.createDirectories(dir.resolve("project"));
        Files.writeString(dir.resolve("project/a.txt"), "from the folder");
        Files.writeString(dir.resolve("project/b.txt"), "b");
        SeedSpec spec = read("from: {dir: project}\nfiles: {a.txt: inline}\n", "from");
        assertThat(problems.errors()).isEmpty();
        assertThat(spec.source()).isEqualTo(new SeedSpec.Folder("project"));
        assertThat(spec.filesUnder(dir)).containsExactly(Map.entry("a.txt", "inline"), Map.entry("b.txt", "b"));
        assertThat(read("dir: project\nfiles: {c.txt: c}\n", null).resolvedAgainst(dir).filesAsGiven()).containsOnlyKeys("a.txt", "b.txt", "c.txt");
        assertThat(read("files: {c.txt: c}\n", "from").filesUnder(dir)).containsExactly(Map.entry("c.txt", "c"));
    }

    @Test
    void aSeedNamesAtMostOneSourceAndARefOnlyWithGit() {
        read("dir: a\ngit: b\n", null);
        assertThat(problems.errors()).singleElement().asString().startsWith("give one source, not dir and git");
        read("from:\n  git: repo\n  snapshot: s1\n", "from");
        assertThat(problems.errors()).singleElement().asString().startsWith("line 1: from: give one source, not git and snapshot");
        read("from: {dir: a, ref: main}\n", "from");
        assertThat(problems.errors()).containsExactly("line 1: from.ref: needs git (ref is a branch or tag of that repository)");
        assertThat(read("from: {git: repo, ref: v1}\n", "from").source()).isEqualTo(new SeedSpec.Git("repo", "v1"));
    }

    @Test
    void aFromMappingNamesASourceAndNothingElse() {
        read("from: {}\n", "from");
        assertThat(problems.errors()).singleElement().asString().startsWith("line 1: from: give a source: dir (a folder)");
        read("from: {archive: x.tar}\n", "from");
        assertThat(problems.errors()).singleElement().asString().contains("unknown key 'archive'; archive seeds are not supported");
        read("from: {dir: ''}\n", "from");
        assertThat(problems.errors()).containsExactly("line 1: from.dir: must not be empty");
        read("from: /tmp\n", "from");
        assertThat(problems.errors()).containsExactly("line 1: from: must be a mapping, not text");
    }

    @Test
    void aSnapshotIsRestoredWholeSoItTakesNoFiles() {
        assertThat(read("from: {snapshot: s1}\n", "from").source()).isEqualTo(new SeedSpec.Snapshot("s1"));
        read("from: {snapshot: s1}\nfiles: {a: b}\n", "from");
        assertThat(problems.errors()).containsExactly("line 2: files: a seed restored from a snapshot takes its files from it; give no files");
    }

    @Test
    void underARootAFolderThatLeadsOutIsNotAllowed() {
        SeedSpec spec = read("from: {dir: ../}\n", "from");
        assertThat(catchThrowableOfType(SpindleException.class, () -> spec.filesUnder(dir)).type()).isEqualTo(ErrorType.NotAllowed);
        assertThat(List.of(read("files: {a: b}\n", null).isEmpty(), read("{}\n", null).isEmpty())).containsExactly(false, true);
    }
}
