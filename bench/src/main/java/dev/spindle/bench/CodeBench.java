package dev.spindle.bench;

import dev.spindle.code.CodeComponent;
import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The code tools through the runtime (issue 11's targets: run_javascript tiny script p50 under 10 ms,
 * run_python fresh under 60 ms, kept state under 5 ms): a tiny script and a CPU-bound loop of a million additions per language.
 * Sample time, so JMH reports p50 and p99; the forked JVM gets the launcher's flag for huge methods.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-XX:-DontCompileHugeMethods")
public class CodeBench {
    private ToolRuntime runtime;

    @Setup
    public void setUp() {
        runtime = ToolRuntime.builder().withComponent(new CodeComponent()).build();
    }

    @TearDown
    public void tearDown() {
        runtime.close();
    }

    private ToolResult run(String tool, String code) {
        return runtime.execute(new ToolCall("bench", "code", tool, Json.object().put("code", code).put("timeout_ms", 30_000)));
    }

    /** In the session's kept interpreter: after the first call, no instance to make. */
    @Benchmark
    public ToolResult pythonTinyKeptState() {
        return runtime.execute(new ToolCall("bench", "code", "run_python",
                Json.object().put("code", "print(1 + 1)").put("timeout_ms", 30_000).put("keep_state", true)));
    }

    @Benchmark
    public ToolResult javaScriptTiny() {
        return run("run_javascript", "console.log(1 + 1)");
    }

    @Benchmark
    public ToolResult pythonTiny() {
        return run("run_python", "print(1 + 1)");
    }

    @Benchmark
    public ToolResult javaScriptLoop() {
        return run("run_javascript", "let n = 0; for (let i = 0; i < 1000000; i++) n += i; console.log(n)");
    }

    @Benchmark
    public ToolResult pythonLoop() {
        return run("run_python", "n = 0\nfor i in range(1000000):\n    n += i\nprint(n)");
    }
}
