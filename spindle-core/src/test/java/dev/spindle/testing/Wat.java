package dev.spindle.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds test WebAssembly modules from WAT text with {@code wat2wasm} (Debian's wabt, which
 * {@code .ci/run} installs). Skipped when it is absent, except where {@code SPINDLE_REQUIRE_WASM_TOOLS}
 * is set (CI sets it), where that is a failure.
 */
public final class Wat {
    private Wat() {}

    public static Path compile(Path wat, Path outputDir) throws IOException, InterruptedException {
        boolean available = new ProcessBuilder("sh", "-c", "command -v wat2wasm").start().waitFor() == 0;
        Prerequisite.require(available, "SPINDLE_REQUIRE_WASM_TOOLS", "wat2wasm not installed (apt-get install wabt)");
        Path wasm = outputDir.resolve(wat.getFileName().toString().replace(".wat", ".wasm"));
        Process process = new ProcessBuilder("wat2wasm", wat.toString(), "-o", wasm.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 || !Files.exists(wasm)) {
            throw new IllegalStateException("wat2wasm failed on " + wat + ": " + output);
        }
        return wasm;
    }
}
