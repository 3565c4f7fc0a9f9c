package dev.spindle.generator.tools;

import dev.spindle.core.ConfigException;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SeedSources;
import dev.spindle.generator.config.GeneratorConfig.Seed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a {@code scenario_seed}: a folder, then a git repository at a ref, then the inline
 * {@code files} (which win on the same path). Read once per run; samples fork one seeded template
 * session, so the seed is never rewritten per sample.
 */
public final class Seeds {
    private Seeds() {}

    public static Map<String, String> files(Seed seed, String source) {
        Map<String, String> files = new LinkedHashMap<>();
        try {
            if (seed.dir() != null) {
                files.putAll(SeedSources.folder(seed.dir()));
            }
        } catch (SpindleException e) {
            throw new ConfigException(source, List.of("generation.tools.scenario_seed.dir: " + e.getMessage()));
        }
        try {
            if (seed.git() != null) {
                files.putAll(SeedSources.git(seed.git(), seed.ref()));
            }
        } catch (SpindleException e) {
            throw new ConfigException(source, List.of("generation.tools.scenario_seed.git: " + e.getMessage()));
        }
        files.putAll(seed.files());
        return files;
    }
}
