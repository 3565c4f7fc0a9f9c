package dev.spindle.bench;

import dev.spindle.core.SessionSpec;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.vfs.VfsComponent;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Heap held by live sessions on the memory store (DESIGN.md section 12: 100,000 sessions of 10 small
 * files in under 2 GiB). Run with a capped heap to prove the fit:
 * {@code java -Xmx2g -cp bench/target/benchmarks.jar dev.spindle.bench.SessionMemory 100000}
 */
public final class SessionMemory {
    private SessionMemory() {}

    public static void main(String[] args) {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (ToolRuntime runtime = ToolRuntime.builder().withComponent(new VfsComponent()).build()) {
            long before = usedAfterGc();
            long start = System.nanoTime();
            for (int i = 0; i < sessions; i++) {
                Map<String, String> files = new LinkedHashMap<>();
                for (int f = 0; f < 10; f++) {
                    files.put("src/pkg" + (f % 3) + "/file_" + f + ".py", "# sample " + i + " file " + f + "\n" + "x = " + f + "\n".repeat(3));
                }
                runtime.openSession(new SessionSpec("sample-" + i, files, null));
            }
            long seconds = (System.nanoTime() - start) / 1_000_000;
            long used = usedAfterGc() - before;
            System.out.printf("%d sessions x 10 files: %.1f MiB of heap (%.0f bytes per session), opened in %d ms, max heap %d MiB%n",
                    runtime.sessionCount(), used / 1048576.0, (double) used / sessions, seconds, Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
