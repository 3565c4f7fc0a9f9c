package dev.spindle.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPolicyTest {
    private final PathPolicy policy = PathPolicy.defaults();

    @ParameterizedTest
    @ValueSource(strings = {"a/b.txt", "/a/b.txt", "./a/../a/b.txt", "a//b.txt", "a\\b.txt", "/a/./b.txt", "a/b.txt/", "x/../a/b.txt"})
    void spellingsOfOnePathNameOneFile(String raw) {
        VPath path = policy.file(raw);
        assertThat(path.key()).isEqualTo("a/b.txt");
        assertThat(path.raw()).isEqualTo(raw);
    }

    @Test
    void theRootIsADirectoryNotAFile() {
        assertThat(policy.directory(null).isRoot()).isTrue();
        assertThat(policy.directory("/").isRoot()).isTrue();
        assertThat(policy.directory("./").isRoot()).isTrue();
        assertThatThrownBy(() -> policy.file("/")).isInstanceOfSatisfying(SpindleException.class,
                e -> assertThat(e.type()).isEqualTo(ErrorType.InvalidArguments));
        assertThatThrownBy(() -> policy.file("")).hasMessageContaining("Path is empty");
    }

    @ParameterizedTest
    @FieldSource("dev.spindle.core.files.NastyPaths#CORPUS")
    void nastyPathsAreRefused(String raw) {
        assertThatThrownBy(() -> policy.file(raw)).isInstanceOfSatisfying(SpindleException.class,
                e -> assertThat(e.type()).isIn(ErrorType.PermissionDenied, ErrorType.InvalidArguments));
    }

    @ParameterizedTest
    @FieldSource("dev.spindle.core.files.NastyPaths#CORPUS")
    void nastyPathsAreRefusedAsDirectoriesToo(String raw) {
        assertThatThrownBy(() -> policy.directory(raw)).isInstanceOfSatisfying(SpindleException.class,
                e -> assertThat(e.type()).isIn(ErrorType.PermissionDenied, ErrorType.InvalidArguments));
    }

    @Test
    void theCorpusIsBigEnough() {
        assertThat(NastyPaths.CORPUS).hasSizeGreaterThanOrEqualTo(100).doesNotHaveDuplicates();
    }

    @Test
    void invisibleAndControlCharactersAreRefusedWithTheirCodePoint() {
        assertThatThrownBy(() -> policy.file("a\u0085b")).hasMessageContaining("control character (U+0085)");
        assertThatThrownBy(() -> policy.file("txt.exe\u202egnp.txt")).hasMessageContaining("(U+202E)");
        assertThatThrownBy(() -> policy.file("a/\ud800")).hasMessageContaining("lone surrogate (U+D800) at character 2");
        assertThat(policy.file("\ud83d\ude00/caf\u00e9.txt").key()).isEqualTo("\ud83d\ude00/caf\u00e9.txt");
    }

    @Test
    void deniedLocationsSayAccessDenied() {
        assertThatThrownBy(() -> policy.file("/etc/passwd"))
                .isInstanceOfSatisfying(SpindleException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.PermissionDenied))
                .hasMessageStartingWith("Access denied");
        assertThatThrownBy(() -> policy.file("../x")).hasMessageStartingWith("Access denied");
    }

    @Test
    void namesThatOnlyLookLikeDeniedRootsAreFine() {
        assertThat(policy.file("etcetera/notes.md").key()).isEqualTo("etcetera/notes.md");
        assertThat(policy.file("src/etc/config.yaml").key()).isEqualTo("src/etc/config.yaml");
        assertThat(policy.file("50% off.txt").key()).isEqualTo("50% off.txt");
        assertThat(policy.file("..hidden").key()).isEqualTo("..hidden");
        assertThat(policy.file("notes/~draft.md").key()).isEqualTo("notes/~draft.md");
    }

    @Test
    void theDenyListIsConfigurable() {
        PathPolicy custom = new PathPolicy(List.of("/secrets/", "\\private"));
        assertThat(custom.file("/etc/passwd").key()).isEqualTo("etc/passwd");
        assertThatThrownBy(() -> custom.file("secrets/key.pem")).hasMessageStartingWith("Access denied");
        assertThatThrownBy(() -> custom.file("/private/x")).hasMessageStartingWith("Access denied");
        assertThat(custom.file("~/notes").key()).isEqualTo("~/notes");
    }
}
