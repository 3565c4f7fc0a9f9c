package dev.spindle.core;

import java.util.List;

/**
 * A start-up configuration that cannot run: a command-line option, a manifest, a generator config.
 * The message names the source and the key or option at fault; the CLI prints it and exits 2 (a
 * usage error), before any work is done.
 */
public class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(source + ": " + (problems.size() == 1 ? problems.getFirst() : problems.size() + " problems:\n  - " + String.join("\n  - ", problems)));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public List<String> problems() {
        return problems;
    }
}
