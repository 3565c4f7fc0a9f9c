package dev.spindle.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code examples/components}, as its {@code build.sh} built it (skipped, or failed in CI, when not built). */
public final class ExampleComponents {
    private ExampleComponents() {}

    /** The examples folder, seen from a module's directory (where surefire and failsafe run). */
    public static Path built() {
        Path examples = Path.of("..", "examples", "components").toAbsolutePath().normalize();
        boolean built = Files.exists(examples.resolve("build/textstats.wasm")) && Files.exists(examples.resolve("build/status.wasm"));
        Prerequisite.require(built, "SPINDLE_REQUIRE_WASM_TOOLS", "examples not built: run examples/components/build.sh");
        return examples;
    }
}
