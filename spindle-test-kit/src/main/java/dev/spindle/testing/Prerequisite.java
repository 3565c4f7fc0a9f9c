package dev.spindle.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests that need something outside Maven (an npm MCP server, the WebAssembly toolchain) skip when it is
 * missing on a developer's machine, but fail in CI, where {@code .ci/run} installs it and sets the
 * variable naming it.
 */
public final class Prerequisite {
    private Prerequisite() {}

    public static void require(boolean present, String ciVariable, String missing) {
        if (!present && System.getenv(ciVariable) != null) {
            throw new IllegalStateException(missing + " (" + ciVariable + " is set, so this is a failure; run .ci/run)");
        }
        assumeTrue(present, missing);
    }
}
