package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.store.MemoryStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Many commands at once, while a client polls {@code /health}: 32 sessions side by side, and 8 commands of
 * one session, which take turns. Health must answer, correctly, all along: its bound (1 s) catches an event
 * loop blocked by a command without being a timing test; the real latencies are printed (bench/shell.sh measures them).
 */
@Timeout(240)
class ShellConcurrencyTest {
    @Test
    void commandsRunAtOnceInManySessionsInTurnWithinOneAndHealthAnswersThroughout(@TempDir Path dir) throws Exception {
        try (ShellServer s = ShellServer.start(new MemoryStore(), dir)) {
            s.bash("turns", "true"); // the sandbox's first use is not what is measured
            ConcurrentLinkedQueue<Long> healthNanos = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> wrongHealth = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread poller = Thread.ofPlatform().name("health-poller").start(() -> {
                while (running.get()) {
                    long started = System.nanoTime();
                    var health = s.http.get("/health");
                    healthNanos.add(System.nanoTime() - started);
                    if (health.status() != 200 || !health.json().path("status").asString().equals("healthy")
                            || !health.json().path("components").toString().contains("\"shell\"")) {
                        wrongHealth.add(health.status() + " " + health.raw().body());
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JsonNode>> apart = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int n = i;
                apart.add(clients.submit(() -> {
                    go.await();
                    return s.bash("apart-" + n, "echo " + n + " > mine.txt; sleep 0.2; cat mine.txt");
                }));
            }
            List<Future<JsonNode>> together = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                together.add(clients.submit(() -> {
                    go.await();
                    return s.bash("turns", "echo begin " + n + " >> log.txt; sleep 0.2; echo end " + n + " >> log.txt");
                }));
            }
            go.countDown();
            for (int i = 0; i < 32; i++) {
                assertThat(apart.get(i).get().path("stdout").asString()).isEqualTo(i + "\n");
            }
            for (Future<JsonNode> f : together) {
                assertThat(f.get().path("exit_code").asInt()).isZero();
            }
            running.set(false);
            poller.join();
            clients.close();

            // one session's commands took turns: every begin is followed by its own end
            List<String> log = s.http.vfs("turns", "read_file", "{\"file_path\":\"log.txt\"}").json().path("result").asString().lines().toList();
            assertThat(log).hasSize(16);
            for (int i = 0; i < 16; i += 2) {
                assertThat(log.get(i + 1)).isEqualTo(log.get(i).replace("begin", "end"));
            }
            assertThat(IntStream.range(0, 8).mapToObj(i -> "begin " + i)).allMatch(log::contains);

            assertThat(wrongHealth).isEmpty();
            assertThat(healthNanos).hasSizeGreaterThan(5);
            long max = healthNanos.stream().mapToLong(Long::longValue).max().orElseThrow();
            List<Long> sorted = healthNanos.stream().sorted().toList();
            System.out.printf("health during 40 commands: %d answers, p50 %.1f ms, max %.1f ms%n", sorted.size(),
                    sorted.get(sorted.size() / 2) / 1e6, max / 1e6);
            assertThat(max).as("slowest /health, ns").isLessThan(1_000_000_000L);
        }
    }
}
