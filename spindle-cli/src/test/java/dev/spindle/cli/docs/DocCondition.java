package dev.spindle.cli.docs;

import dev.spindle.sandbox.RootFilesystem;
import dev.spindle.sandbox.Sandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What a block marked {@code <!-- runnable where: NAME -->} needs of the host, and the CI variable that
 * says CI provides it: where it is missing the block is skipped, saying why, except when that variable is
 * set, where it is a failure (as {@link dev.spindle.testing.Prerequisite} has it for every test).
 */
enum DocCondition {
    /** bubblewrap makes namespaces here: the shell's {@code bash} and native code run (docs/shell.md). */
    SANDBOX("sandbox", "SPINDLE_REQUIRE_SANDBOX", DocCondition::sandboxMissing);

    final String name;
    final String ciVariable;
    private final Supplier<Optional<String>> missing;
    private Optional<String> found;

    DocCondition(String name, String ciVariable, Supplier<Optional<String>> missing) {
        this.name = name;
        this.ciVariable = ciVariable;
        this.missing = missing;
    }

    /** The condition a marking names, if it is one of these. */
    static Optional<DocCondition> named(String name) {
        return Arrays.stream(values()).filter(condition -> condition.name.equals(name)).findFirst();
    }

    /** Why this host lacks it, probed once; empty when it has it. */
    synchronized Optional<String> missing() {
        if (found == null) {
            found = missing.get();
        }
        return found;
    }

    /** The same probe the shell runs at start: {@code /bin/true} in a sandbox on the host's root. */
    private static Optional<String> sandboxMissing() {
        try {
            Path home = Files.createTempDirectory("spindle-docs-sandbox-");
            Sandbox.Availability availability = Sandbox.open(RootFilesystem.host(), home);
            availability.get().ifPresent(Sandbox::close);
            try (Stream<Path> left = Files.walk(home)) {
                for (Path path : left.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
            return Optional.ofNullable(availability.reason()).map(reason -> "no sandbox here: " + reason);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
