package dev.spindle.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RegexDeadlineTest {
    @Test
    void matchesAndFindsLikeTheRegexEngine() {
        RegexDeadline deadline = RegexDeadline.in(Duration.ofSeconds(5));
        assertThat(deadline.matches(Pattern.compile("[a-z]+\\d"), "abc1")).isTrue();
        assertThat(deadline.matches(Pattern.compile("[a-z]+\\d"), "abc1x")).isFalse();
        assertThat(deadline.find(Pattern.compile("c1"), "abc1x")).isTrue();
    }

    @Test
    void aCatastrophicPatternStopsAtTheLimitWithTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> RegexDeadline.in(Duration.ofMillis(300)).matches(Pattern.compile("^(.*a){12}$"), "a".repeat(33) + "b"))
                .isInstanceOfSatisfying(SpindleException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.Timeout))
                .hasMessageContaining("time limit of 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anInterruptedThreadStopsMatching() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> RegexDeadline.in(Duration.ofMinutes(5)).find(Pattern.compile("(.*a){12}b"), "a".repeat(40)))
                    .isInstanceOfSatisfying(SpindleException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.Timeout));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aBadPatternIsInvalidArgumentsSayingWhere() {
        assertThatThrownBy(() -> RegexDeadline.compile("(unclosed"))
                .isInstanceOfSatisfying(SpindleException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.InvalidArguments))
                .hasMessageStartingWith("Invalid regular expression: Unclosed group near index 9");
    }
}
