package dev.spindle.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CgroupsTest {
    /** Two servers in one JVM (tests, two instances on one Redis) open their sandboxes at once: neither may fall back to rlimits. */
    @Test
    void sandboxesProbingAtOnceInOneProcessAllGetCgroups() throws Exception {
        Assumptions.assumeTrue(Cgroups.detect().isPresent(), "this host lets Spindle make no cgroups");
        int parallel = 4;
        try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
            for (int round = 0; round < 25; round++) {
                CyclicBarrier start = new CyclicBarrier(parallel);
                List<Future<Boolean>> probes = new ArrayList<>();
                for (int i = 0; i < parallel; i++) {
                    probes.add(pool.submit(() -> {
                        start.await();
                        return Cgroups.detect().isPresent();
                    }));
                }
                for (Future<Boolean> probe : probes) {
                    assertThat(probe.get()).as("round " + round).isTrue();
                }
            }
        }
    }
}
