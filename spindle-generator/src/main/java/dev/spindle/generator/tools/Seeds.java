package dev.spindle.generator.tools;

import dev.spindle.core.ConfigException;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SeedSpec;
import java.util.List;
import java.util.Map;

/**
 * The files of a {@code scenario_seed} ({@link SeedSpec}'s rule: a folder or a git repository at a ref,
 * then the inline {@code files}, which win on the same path). Read once per run; samples fork one seeded
 * template session, so the seed is never rewritten per sample.
 */
public final class Seeds {
    private Seeds() {}

    public static Map<String, String> files(SeedSpec seed, String source) {
        try {
            return seed.filesAsGiven();
        } catch (SpindleException e) {
            throw new ConfigException(source, List.of("generation.tools.scenario_seed." + seed.source().key() + ": " + e.getMessage()));
        }
    }
}
