package dev.spindle.generator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreWithinNinePercentAboveTheTrueValueAndNeverAboveTheLargest() {
        Latencies latencies = new Latencies();
        for (int micros = 1; micros <= 1_000; micros++) {
            latencies.add(micros * 100L); // 0.1 ms ... 100 ms, evenly
        }
        assertThat(latencies.count()).isEqualTo(1_000);
        assertThat(latencies.millis(0.5)).isBetween(50.0, 50.0 * 1.095);
        assertThat(latencies.millis(0.99)).isBetween(99.0, 99.0 * 1.095);
        assertThat(latencies.millis(1.0)).isEqualTo(100.0);
    }

    @Test
    void aFewSlowCallsShowInP99NotInP50() {
        Latencies latencies = new Latencies();
        for (int i = 0; i < 98; i++) {
            latencies.add(200);
        }
        latencies.add(2_000_000);
        latencies.add(3_000_000);
        assertThat(latencies.millis(0.5)).isBetween(0.2, 0.22);
        assertThat(latencies.millis(0.99)).isBetween(2_000.0, 2_190.0);
    }

    @Test
    void nothingMeasuredIsZeroAndAnInstantCallCountsAsOneMicrosecond() {
        assertThat(new Latencies().millis(0.99)).isZero();
        Latencies instant = new Latencies();
        instant.add(0);
        assertThat(instant.millis(0.5)).isEqualTo(0.001);
    }
}
