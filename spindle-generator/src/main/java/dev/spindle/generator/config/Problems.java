package dev.spindle.generator.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Errors (the run cannot start) and warnings (it can, but a key was not used), each with its key path. */
final class Problems {
    /** Where each key of DeepFabric's schema belongs, to point a misplaced key at its home. */
    private static final Map<String, String> HOMES = Map.ofEntries(
            Map.entry("scenario_seed", "generation.tools.scenario_seed"),
            Map.entry("spin_endpoint", "generation.tools.spin_endpoint"),
            Map.entry("components", "generation.tools.components"),
            Map.entry("tools_endpoint", "generation.tools.tools_endpoint"),
            Map.entry("tool_execute_path", "generation.tools.tool_execute_path"),
            Map.entry("max_per_query", "generation.tools.max_per_query"),
            Map.entry("max_agent_steps", "generation.tools.max_agent_steps"),
            Map.entry("custom", "generation.tools.custom"),
            Map.entry("num_samples", "output.num_samples"),
            Map.entry("batch_size", "output.batch_size"),
            Map.entry("include_system_message", "output.include_system_message"),
            Map.entry("sample_retries", "generation.sample_retries"),
            Map.entry("instructions", "generation.instructions"),
            Map.entry("conversation", "generation.conversation"),
            Map.entry("reasoning_style", "generation.conversation.reasoning_style"),
            Map.entry("provider", "llm.provider"),
            Map.entry("model", "llm.model"),
            Map.entry("temperature", "llm.temperature"),
            Map.entry("base_url", "llm.base_url"),
            Map.entry("depth", "topics.depth"),
            Map.entry("degree", "topics.degree"));

    final List<String> errors = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    /** Key paths set by a command-line option, to the option: the user typed the option, not the key. */
    private final Map<String, String> options;

    Problems(Map<String, String> options) {
        this.options = options;
    }

    void error(String path, String message) {
        String problem = options.getOrDefault(path, path) + ": " + message;
        if (!errors.contains(problem)) { // an llm option sets three keys, and is one mistake
            errors.add(problem);
        }
    }

    void warn(String path, String message) {
        warnings.add(path + ": " + message);
    }

    String hint(String key, Collection<String> siblings) {
        String home = HOMES.get(key);
        if (home != null) {
            return "; it belongs at " + home;
        }
        for (String sibling : siblings) {
            if (distance(key, sibling) <= 2) {
                return "; did you mean '" + sibling + "'?";
            }
        }
        return "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
