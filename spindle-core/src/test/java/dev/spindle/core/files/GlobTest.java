package dev.spindle.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.time.Duration;
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
    void setsTakeRangesAndNeverMatchASlash() {
        assertThat(Glob.matcher("v[0-9].txt").test("v7.txt")).isTrue();
        assertThat(Glob.matcher("v[0-9].txt").test("vx.txt")).isFalse();
        assertThat(Glob.matcher("a[!x]b").test("a/b")).isFalse();
        assertThat(Glob.matcher("a[^x]b").test("ayb")).isTrue();
        assertThat(Glob.matcher("{src/**/,}*.{py,{c,h}}").test("src/x/y/a.h")).isTrue();
        assertThat(Glob.matcher("{src/**/,}*.{py,{c,h}}").test("b.py")).isTrue();
        assertThat(Glob.matcher("{src/**/,}*.{py,{c,h}}").test("lib/b.py")).isFalse();
        assertThat(Glob.matcher("*}").test("a}")).isTrue();
        assertThat(Glob.matcher("é?.txt").test("é😀.txt")).as("one ? is one character, even outside the BMP").isTrue();
    }

    @Test
    void malformedGlobsAreInvalidArguments() {
        for (String[] bad : new String[][] {{"[abc", "without ']'"}, {"{a,b", "without '}'"}, {"[[]", "'[' inside a set"},
                {"[z-a]", "range z-a is backwards"}, {"a[]", "empty set"}, {"*".repeat(Glob.MAX_LENGTH + 1), "the limit is " + Glob.MAX_LENGTH}}) {
            assertThatThrownBy(() -> Glob.matcher(bad[0])).as(bad[0]).isInstanceOfSatisfying(SpindleException.class, e -> {
                assertThat(e.type()).isEqualTo(ErrorType.InvalidArguments);
                assertThat(e.getMessage()).contains(bad[1]);
            });
        }
    }

    @Test
    void manyStarsDoNotBacktrack() {
        // A backtracking matcher needs about 4^14 steps for this one name; the automaton needs a few thousand.
        String name = "a".repeat(200) + ".txt";
        var stars = Glob.matcher("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 100; i++) {
                assertThat(stars.test("deep/dir/" + name)).isFalse();
            }
        });
        assertThat(Glob.matcher("x/**a**a**a**a**a**a**a**a**a**b").test("x/" + "a/".repeat(100) + "b")).isTrue();
    }
}
