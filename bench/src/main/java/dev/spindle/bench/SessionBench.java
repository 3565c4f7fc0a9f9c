package dev.spindle.bench;

import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.store.sqlite.SqliteStore;
import dev.spindle.vfs.VfsComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.node.ObjectNode;

/**
 * In-process costs of the session lifecycle (DESIGN.md section 12 targets: open + seed 10 files + close
 * under 1 ms; fork of a seeded session under 0.2 ms) and of one read_file call without HTTP.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SessionBench {
    @Param({"memory", "sqlite"})
    public String store;

    private ToolRuntime runtime;
    private Path dir;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, String> seed = new LinkedHashMap<>();
    private ToolCall read;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("spindle-bench");
        KeyValueStore kv = store.equals("sqlite") ? new SqliteStore(dir.resolve("state.db")) : new MemoryStore();
        runtime = ToolRuntime.builder().withStore(kv).withComponent(new VfsComponent()).build();
        for (int i = 0; i < 10; i++) {
            seed.put("src/module_" + i + ".py", "def f" + i + "():\n    return " + i + "\n".repeat(4));
        }
        runtime.openSession(new SessionSpec("template", seed, null));
        runtime.openSession(new SessionSpec("reader", Map.of("data.txt", "x".repeat(1024)), null));
        ObjectNode args = Json.object().put("file_path", "data.txt");
        read = new ToolCall("reader", "vfs", "read_file", args);
    }

    @TearDown
    public void tearDown() throws IOException {
        runtime.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public int openSeedTenFilesClose() {
        String id = "s" + ids.incrementAndGet();
        runtime.openSession(new SessionSpec(id, seed, null));
        return runtime.closeSession(id);
    }

    @Benchmark
    public int forkSeededSessionThenClose() {
        String id = "f" + ids.incrementAndGet();
        runtime.forkSession("template", id);
        return runtime.closeSession(id);
    }

    @Benchmark
    public ToolResult readFileInProcess() {
        return runtime.execute(read);
    }
}
