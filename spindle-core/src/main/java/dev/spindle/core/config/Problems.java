package dev.spindle.core.config;

import dev.spindle.core.ConfigException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonPointer;

/**
 * What is wrong with one configuration text: errors (it cannot be used) and warnings (it can, but a key was
 * not used), each as {@code line N: key.path: message}. Reading goes on past the first problem, so that
 * one run names every mistake.
 */
public final class Problems {
    private final ConfigText text;
    /** Key paths set by a command-line option, to the option: the user typed the option, not the key. */
    private final Map<String, String> options;
    /** Where a key found out of place belongs ({@code scenario_seed} to {@code generation.tools.scenario_seed}). */
    private final Map<String, String> homes;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    public Problems(ConfigText text) {
        this(text, Map.of(), Map.of());
    }

    public Problems(ConfigText text, Map<String, String> options, Map<String, String> homes) {
        this.text = text;
        this.options = options;
        this.homes = homes;
    }

    /** The text's top mapping, to read keys from. */
    public ConfigNode root() {
        return new ConfigNode("", JsonPointer.empty(), text.tree(), this);
    }

    void error(String path, JsonPointer at, String message) {
        String problem = where(path, at) + message;
        if (!errors.contains(problem)) { // an option that sets several keys is one mistake
            errors.add(problem);
        }
    }

    void warn(String path, JsonPointer at, String message) {
        warnings.add(where(path, at) + message);
    }

    private String where(String path, JsonPointer at) {
        String option = options.get(path);
        if (option != null) {
            return option + ": ";
        }
        int line = text.line(at);
        return (line < 1 ? "" : "line " + line + ": ") + (path.isEmpty() ? "" : path + ": ");
    }

    /** "it belongs at X" or "did you mean 'Y'?" for an unknown key, or "" when neither helps. */
    String hint(String key, Collection<String> siblings) {
        String home = homes.get(key);
        if (home != null) {
            return "it belongs at " + home;
        }
        for (String sibling : siblings) {
            if (distance(key, sibling) <= 2) {
                return "did you mean '" + sibling + "'?";
            }
        }
        return "";
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** A {@link ConfigException} naming {@code source} and every error, if there is one. */
    public void throwIfAny(String source) {
        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
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
