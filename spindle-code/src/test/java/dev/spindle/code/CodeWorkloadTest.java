package dev.spindle.code;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Tool;
import dev.spindle.core.Workload;
import org.junit.jupiter.api.Test;

class CodeWorkloadTest {
    @Test
    void everyCodeToolComputesSoItRunsOnTheComputePool() {
        assertThat(new CodeComponent().tools()).extracting(Tool::workload).hasSize(4).containsOnly(Workload.COMPUTE);
    }
}
