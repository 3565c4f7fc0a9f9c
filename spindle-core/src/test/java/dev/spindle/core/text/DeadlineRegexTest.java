package dev.spindle.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DeadlineRegexTest {
    @Test
    void findsLikeTheMatcherItWraps() {
        assertThat(DeadlineRegex.find(Pattern.compile("b+c"), "aabbbcd", Duration.ofSeconds(1))).isTrue();
        assertThat(DeadlineRegex.find(Pattern.compile("^b"), "ab", Duration.ofSeconds(1))).isFalse();
        assertThat(DeadlineRegex.find(Pattern.compile("(?<=a)b\\b"), "ab", Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void aBacktrackingPatternStopsAtItsDeadlineWithTimeout() {
        Pattern evil = Pattern.compile("^(.*a){12}$");
        long start = System.nanoTime();
        SpindleException e = catchThrowableOfType(SpindleException.class,
                () -> DeadlineRegex.find(evil, "a".repeat(32) + "b", Duration.ofMillis(200)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(e.type()).isEqualTo(ErrorType.Timeout);
        assertThat(e.getMessage()).contains("^(.*a){12}$").contains("200 ms");
        assertThat(millis).as("stopped near its 200 ms deadline, not after seconds").isLessThan(3_000);
    }
}
