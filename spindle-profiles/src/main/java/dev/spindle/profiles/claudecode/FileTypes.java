package dev.spindle.profiles.claudecode;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.Glob;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Grep's {@code type}: ripgrep's names for the common file types, each the globs ripgrep gives it. */
final class FileTypes {
    private static final Map<String, List<String>> GLOBS = Map.ofEntries(
            Map.entry("c", List.of("*.c", "*.h")),
            Map.entry("cpp", List.of("*.cpp", "*.cc", "*.cxx", "*.hpp", "*.hh", "*.hxx", "*.h")),
            Map.entry("css", List.of("*.css", "*.scss")),
            Map.entry("go", List.of("*.go")),
            Map.entry("html", List.of("*.html", "*.htm")),
            Map.entry("java", List.of("*.java")),
            Map.entry("js", List.of("*.js", "*.jsx", "*.mjs", "*.cjs", "*.vue")),
            Map.entry("json", List.of("*.json")),
            Map.entry("kotlin", List.of("*.kt", "*.kts")),
            Map.entry("md", List.of("*.md", "*.markdown", "*.mdx")),
            Map.entry("py", List.of("*.py", "*.pyi")),
            Map.entry("rb", List.of("*.rb")),
            Map.entry("rust", List.of("*.rs")),
            Map.entry("sh", List.of("*.sh", "*.bash", "*.zsh")),
            Map.entry("toml", List.of("*.toml")),
            Map.entry("ts", List.of("*.ts", "*.tsx", "*.cts", "*.mts")),
            Map.entry("txt", List.of("*.txt")),
            Map.entry("xml", List.of("*.xml")),
            Map.entry("yaml", List.of("*.yaml", "*.yml")));

    private FileTypes() {}

    static Predicate<String> matcher(String type) {
        List<String> globs = GLOBS.get(type);
        if (globs == null) {
            throw new SpindleException(ErrorType.InvalidArguments, "rg: unrecognized file type: " + type + " (known here: "
                    + String.join(", ", new java.util.TreeSet<>(GLOBS.keySet())) + ")");
        }
        List<Predicate<String>> matchers = globs.stream().map(Glob::matcher).toList();
        return key -> matchers.stream().anyMatch(m -> m.test(key));
    }
}
