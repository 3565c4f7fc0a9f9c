package dev.spindle.bench;

import dev.spindle.core.Capability;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.wasm.WasmComponent;
import dev.spindle.wasm.WasmProgram;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * WebAssembly component costs (DESIGN.md section 12: warm call overhead under 1 ms, module load under
 * 1 s), on the C example {@code examples/components/textstats/textstats.wasm}:
 * a bare run (request in, answer out, no tool work), a file-touching tool call through the runtime, and
 * loading (parse + compile) the module.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WasmBench {
    private static final Path MODULE = Path.of(System.getProperty("spindle.examples", "examples/components"), "textstats", "textstats.wasm");

    private WasmProgram program;
    private ToolRuntime runtime;
    private final byte[] bareRequest = "{\"session_id\":\"b\",\"tool\":\"nothing\",\"args\":{\"path\":\"x\"}}".getBytes(StandardCharsets.UTF_8);
    private ToolCall wordCount;

    @Setup
    public void setUp() {
        program = WasmProgram.load(MODULE);
        WasmComponent textstats = new WasmComponent("textstats", program, WasmComponent.Limits.DEFAULTS, Set.of(Capability.SESSION_FILES));
        runtime = ToolRuntime.builder().withComponent(textstats).build();
        runtime.openSession(new SessionSpec("bench", Map.of("notes.txt", "the quick brown fox\njumps over the lazy dog\n".repeat(20)), null));
        wordCount = new ToolCall("bench", "textstats", "word_count", Json.object().put("path", "notes.txt"));
    }

    @TearDown
    public void tearDown() {
        runtime.close();
    }

    /** One fresh instance: stdin in, stdout out, nothing else (the per-call overhead). */
    @Benchmark
    public WasmProgram.Outcome bareRun() {
        return program.run(bareRequest, Map.of(), Duration.ofSeconds(5), 64L << 20, 1 << 20);
    }

    /** word_count through the runtime: validation, /workspace copy in and out, the run. */
    @Benchmark
    public ToolResult wordCountCall() {
        return runtime.execute(wordCount);
    }

    /** Parse and compile the module (done once per component at start). */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public WasmProgram load() {
        return WasmProgram.load(MODULE);
    }
}
