package dev.spindle.generator.config;

import java.util.List;

/** A configuration that cannot run; every problem names the key path it is about. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(source + ": " + (problems.size() == 1 ? problems.getFirst() : problems.size() + " problems:\n  - " + String.join("\n  - ", problems)));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
