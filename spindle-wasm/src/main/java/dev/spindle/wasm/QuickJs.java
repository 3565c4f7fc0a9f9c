package dev.spindle.wasm;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.text.CappedOutput;
import io.roastedroot.quickjs4j.core.Builtins;
import io.roastedroot.quickjs4j.core.Engine;
import io.roastedroot.quickjs4j.core.GuestException;
import io.roastedroot.quickjs4j.core.Runner;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import run.endive.runtime.ByteArrayMemory;
import run.endive.wasm.WasmEngineException;
import run.endive.wasm.types.MemoryLimits;

/**
 * QuickJS (quickjs4j, on Endive) with Spindle's limits, shared by {@code run_javascript} and the mock's
 * handler scripts: a fresh engine per run, no require, process, fetch or timers, only the host functions
 * given, memory capped, and the run stopped at its timeout (quickjs4j runs it on its own thread and
 * stops it). The caller's script should catch its own errors: what escapes is QuickJS giving up.
 */
public final class QuickJs {
    /** 1024 pages of 64 KiB: QuickJS answers "out of memory" past that. */
    public static final int MAX_PAGES = 1024;

    /** The first engine of a process loads QuickJS's classes; every run waits for that outside its timeout. */
    private static final WarmUp LOAD = new WarmUp("The JavaScript engine", () -> execute(Builtins.builder("warm_up").build(),
            new CappedOutput(0), new CappedOutput(0), WarmUp.MAX_WAIT, "Loading the JavaScript engine", runner -> runner.compileAndExec("JSON.stringify([1])")));

    private QuickJs() {}

    /**
     * Runs {@code script}; {@code Timeout} past {@code timeout}, {@code ComponentFailed} when the engine
     * fails or runs out of memory. {@code what} names the run in those messages ("The JavaScript run").
     */
    public static void run(String script, Builtins builtins, CappedOutput stdout, CappedOutput stderr, Duration timeout, String what) {
        within(builtins, stdout, stderr, timeout, what, runner -> runner.compileAndExec(script));
    }

    /** Runs bytecode from {@link #compile}, as {@link #run(String, Builtins, CappedOutput, CappedOutput, Duration, String)} runs source. */
    public static void run(byte[] bytecode, Builtins builtins, CappedOutput stdout, CappedOutput stderr, Duration timeout, String what) {
        within(builtins, stdout, stderr, timeout, what, runner -> runner.exec(bytecode));
    }

    /**
     * QuickJS bytecode for {@code script}, to run many times without parsing it again (a syntax error is
     * {@code ComponentFailed} here). The bytecode binds the host functions by name: {@code builtins} must
     * have the names and signatures of those it will run with.
     */
    public static byte[] compile(String script, Builtins builtins, Duration timeout, String what) {
        AtomicReference<byte[]> bytecode = new AtomicReference<>();
        within(builtins, new CappedOutput(0), new CappedOutput(CappedOutput.DEFAULT_CAP), timeout, what, runner -> bytecode.set(runner.compile(script)));
        return bytecode.get();
    }

    /** Runs {@code work} once the engine is loaded, its timeout starting then. */
    private static void within(Builtins builtins, CappedOutput stdout, CappedOutput stderr, Duration timeout, String what, Consumer<Runner> work) {
        LOAD.await();
        execute(builtins, stdout, stderr, timeout, what, work);
    }

    private static void execute(Builtins builtins, CappedOutput stdout, CappedOutput stderr, Duration timeout, String what, Consumer<Runner> work) {
        Engine engine = Engine.builder()
                .addBuiltins(builtins)
                .withStdout(stdout).withStderr(stderr)
                .withMemoryFactory(limits -> new ByteArrayMemory(new MemoryLimits(limits.initialPages(), MAX_PAGES)))
                .build();
        int millis = (int) timeout.toMillis();
        try (Runner runner = Runner.builder().withEngine(engine).withTimeoutMs(millis).withCompilationTimeoutMs(millis).build()) {
            work.accept(runner);
        } catch (GuestException e) {
            throw new SpindleException(ErrorType.ComponentFailed, stderr.text().contains("out of memory")
                    ? what + " ran out of memory (limit " + MAX_PAGES / 16 + " MiB)"
                    : what + " failed in the JavaScript engine");
        } catch (WasmEngineException e) { // the engine's own trap: deep recursion exhausts the JVM stack first
            throw new SpindleException(ErrorType.ComponentFailed, what + " failed in the JavaScript engine: " + e.getMessage()
                    + (e.getCause() instanceof StackOverflowError ? " (too deep a recursion)" : ""));
        } catch (RuntimeException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new SpindleException(ErrorType.Timeout, what + " took longer than " + timeout.toMillis() + " ms and was stopped");
            }
            throw e;
        }
    }
}
