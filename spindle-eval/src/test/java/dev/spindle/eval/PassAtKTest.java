package dev.spindle.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PassAtKTest {
    @Test
    void isOneMinusTheChanceThatKDrawsWithoutReplacementAllFail() {
        assertThat(PassAtK.estimate(5, 2, 2)).isCloseTo(1 - 3.0 / 10, within(1e-12)); // C(3,2)/C(5,2)
        assertThat(PassAtK.estimate(10, 3, 1)).isCloseTo(0.3, within(1e-12));
        assertThat(PassAtK.estimate(10, 0, 5)).isZero();
        assertThat(PassAtK.estimate(4, 2, 3)).isEqualTo(1.0); // fewer failures than draws
        assertThat(PassAtK.estimate(200, 1, 100)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void refusesCountsThatDoNotFit() {
        assertThatThrownBy(() -> PassAtK.estimate(3, 1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PassAtK.estimate(3, 4, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PassAtK.estimate(3, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
