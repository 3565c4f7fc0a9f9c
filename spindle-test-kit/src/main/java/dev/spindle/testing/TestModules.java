package dev.spindle.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The WebAssembly modules the tests run: each is committed beside its source ({@code .wat} or {@code .c}),
 * so that the suite needs no toolchain; {@code .ci/wasm-modules --check} proves in CI that each one is what
 * its source builds to.
 */
public final class TestModules {
    private TestModules() {}

    /** A module of {@code spindle-wasm/src/test/resources/modules}, seen from any module's directory. */
    public static Path module(String name) {
        return existing(Path.of("..", "spindle-wasm", "src", "test", "resources", "modules", name + ".wasm"));
    }

    /** {@code examples/components}, whose manifest names the committed example modules. */
    public static Path examples() {
        Path examples = Path.of("..", "examples", "components");
        existing(examples.resolve("textstats/textstats.wasm"));
        existing(examples.resolve("status/status.wasm"));
        return examples.toAbsolutePath().normalize();
    }

    private static Path existing(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalStateException(absolute + " is missing: it is committed; run .ci/wasm-modules to rebuild it");
        }
        return absolute;
    }
}
