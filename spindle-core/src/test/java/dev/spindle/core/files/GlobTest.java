package dev.spindle.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GlobTest {
    @Test
    void aGlobWithoutSlashMatchesNamesAnywhere() {
        var py = Glob.matcher("*.py");
        assertThat(py.test("main.py")).isTrue();
        assertThat(py.test("src/deep/util.py")).isTrue();
        assertThat(py.test("main.pyc")).isFalse();
    }

    @Test
    void aGlobWithSlashMatchesWholePaths() {
        assertThat(Glob.matcher("src/*.py").test("src/a.py")).isTrue();
        assertThat(Glob.matcher("src/*.py").test("src/x/a.py")).isFalse();
        assertThat(Glob.matcher("src/**/*.py").test("src/a.py")).isTrue();
        assertThat(Glob.matcher("src/**/*.py").test("src/x/y/a.py")).isTrue();
        assertThat(Glob.matcher("/src/**").test("src/x/y")).isTrue();
    }

    @Test
    void supportsSetsAlternativesAndSingleCharacters() {
        assertThat(Glob.matcher("*.{md,txt}").test("docs/a.md")).isTrue();
        assertThat(Glob.matcher("*.{md,txt}").test("a.txt")).isTrue();
        assertThat(Glob.matcher("*.{md,txt}").test("a.rs")).isFalse();
        assertThat(Glob.matcher("file?.[ch]").test("file1.c")).isTrue();
        assertThat(Glob.matcher("file?.[!ch]").test("file1.c")).isFalse();
        assertThat(Glob.matcher("a+b(1).txt").test("a+b(1).txt")).isTrue();
    }

    @Test
    void malformedGlobsAreInvalidArguments() {
        assertThatThrownBy(() -> Glob.matcher("[abc")).hasMessageContaining("without ']'");
        assertThatThrownBy(() -> Glob.matcher("{a,b")).hasMessageContaining("without '}'");
    }
}
