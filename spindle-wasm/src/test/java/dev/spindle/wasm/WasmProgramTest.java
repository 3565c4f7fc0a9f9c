package dev.spindle.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.testing.TestModules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real modules (committed, built from WAT with wat2wasm), run by Endive with the limits a component gets. */
@Timeout(60)
class WasmProgramTest {
    private static final long MEMORY = 64L << 20;

    @TempDir
    Path dir;

    WasmProgram load(String name) throws Exception {
        return WasmProgram.load(TestModules.module(name));
    }

    @Test
    void passesStdinToStdoutAndFreshInstancesShareNothing() throws Exception {
        WasmProgram echo = load("echo");
        for (String input : new String[] {"{\"describe\":true}", "{\"tool\":\"x\",\"args\":{\"é\":1}}"}) {
            var outcome = echo.run(input.getBytes(StandardCharsets.UTF_8), Map.of(), Duration.ofSeconds(5), MEMORY, 1 << 20);
            assertThat(new String(outcome.stdout(), StandardCharsets.UTF_8)).isEqualTo(input);
            assertThat(outcome.exitCode()).isZero();
        }
    }

    @Test
    void anInfiniteLoopEndsWithTimeoutWithinTheLimitAndTheNextRunWorks() throws Exception {
        WasmProgram loop = load("loop");
        long start = System.nanoTime();
        SpindleException e = catchThrowableOfType(SpindleException.class, () -> loop.run(new byte[0], Map.of(), Duration.ofMillis(300), MEMORY, 1024));
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertThat(e.type()).isEqualTo(ErrorType.Timeout);
        assertThat(e.getMessage()).contains("300 ms");
        assertThat(elapsed).as("a runaway loop stops within the limit + 200 ms").isLessThan(300 + 200);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(load("echo").run("again".getBytes(), Map.of(), Duration.ofSeconds(5), MEMORY, 1024).stdout()).isEqualTo("again".getBytes());
    }

    @Test
    void whatAModuleSaysOnStderrIsLoggedEvenWhenItTimesOut() throws Exception {
        WasmProgram mutter = load("mutter");
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(WasmProgram.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level level = log.getLevel();
        log.setLevel(Level.INFO);
        log.addHandler(capture);
        try {
            SpindleException e = catchThrowableOfType(SpindleException.class, () -> mutter.run(new byte[0], Map.of(), Duration.ofMillis(200), MEMORY, 1024));
            assertThat(e.type()).isEqualTo(ErrorType.Timeout);
        } finally {
            log.removeHandler(capture);
            log.setLevel(level);
        }
        assertThat(logged).containsExactly("event=component_stderr module=mutter.wasm outcome=\"timeout\" text=\"still thinking about it\"");
    }

    @Test
    void aMemoryBombHitsTheCapAndFails() throws Exception {
        WasmProgram grow = load("grow");
        SpindleException e = catchThrowableOfType(SpindleException.class, () -> grow.run(new byte[0], Map.of(), Duration.ofSeconds(20), 8L << 20, 1024));
        assertThat(e.type()).isEqualTo(ErrorType.ComponentFailed);
    }

    @Test
    void aTrapIsComponentFailed() throws Exception {
        WasmProgram trap = load("trap");
        SpindleException e = catchThrowableOfType(SpindleException.class, () -> trap.run(new byte[0], Map.of(), Duration.ofSeconds(5), MEMORY, 1024));
        assertThat(e.type()).isEqualTo(ErrorType.ComponentFailed);
        assertThat(e.getMessage()).startsWith("trap.wasm failed");
    }

    @Test
    void anExitCodeIsReported() throws Exception {
        assertThat(load("exit").run(new byte[0], Map.of(), Duration.ofSeconds(5), MEMORY, 1024).exitCode()).isEqualTo(3);
    }

    @Test
    void endlessOutputHitsTheStdoutCap() throws Exception {
        WasmProgram spam = load("spam");
        SpindleException e = catchThrowableOfType(SpindleException.class, () -> spam.run(new byte[0], Map.of(), Duration.ofSeconds(10), MEMORY, 100_000));
        assertThat(e.type()).isEqualTo(ErrorType.ComponentFailed);
        assertThat(e.getMessage()).contains("more than 100000 bytes");
    }

    @Test
    void aMissingOrCorruptFileFailsNamingIt() throws Exception {
        Path corrupt = Files.write(dir.resolve("corrupt.wasm"), "not wasm".getBytes());
        assertThatThrownBy(() -> WasmProgram.load(corrupt)).hasMessageContaining("corrupt.wasm").hasMessageContaining("not a WebAssembly module");
        assertThatThrownBy(() -> WasmProgram.load(dir.resolve("missing.wasm"))).hasMessageContaining("missing.wasm");
    }
}
