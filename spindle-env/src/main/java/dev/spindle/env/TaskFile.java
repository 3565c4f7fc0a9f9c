package dev.spindle.env;

import dev.spindle.core.ConfigException;
import dev.spindle.core.SpindleException;
import dev.spindle.core.config.ConfigNode;
import dev.spindle.core.config.ConfigText;
import dev.spindle.core.config.Problems;
import dev.spindle.core.files.PathPolicy;
import dev.spindle.core.files.SeedSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads a {@code *.task.yaml} strictly (format: {@code docs/tasks.md}): an unknown key, a wrong type or a
 * value out of range is a {@link ConfigException} naming the file, the line and the key. Paths in the seed
 * and the assertions go through the default {@link PathPolicy}, so a task cannot name a path a session
 * could not hold; the seed follows {@link SeedSpec}'s rule, its folders and repositories under the task
 * file's folder; mock files are read relative to it. The verifier's kinds are {@link AssertionKinds}'.
 */
final class TaskFile {
    static final String SUFFIX = ".task.yaml";
    static final int DEFAULT_MAX_STEPS = 30;
    static final int MAX_STEPS_LIMIT = 10_000;
    /** The code tools' longest {@code timeout_ms}. */
    static final int MAX_CODE_TIMEOUT_MS = 30_000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final PathPolicy PATHS = PathPolicy.defaults();

    private final Path file;
    private final Problems problems;

    private TaskFile(Path file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    static Task read(Path file) {
        ConfigText text = ConfigText.read(file);
        if (text.tree().isMissingNode() || text.tree().isNull()) {
            throw new ConfigException(file.toString(), List.of("is empty: a task needs id, instruction and verifier"));
        }
        Problems problems = new Problems(text);
        ConfigNode root = problems.root();
        Task task = new TaskFile(file, problems).task(root);
        root.refuseUnknown(Map.of());
        problems.throwIfAny(file.toString());
        return task;
    }

    /** The canonical key of a session path, or null (with a problem at {@code key}) when the path policy refuses it. */
    static String sessionPath(ConfigNode node, String key, String path) {
        if (path == null || path.isBlank()) {
            node.error(key, "needs a path");
            return null;
        }
        try {
            return PATHS.file(path).key();
        } catch (SpindleException e) {
            node.error(key, e.getMessage());
            return null;
        }
    }

    private Task task(ConfigNode root) {
        String id = root.string("id", null);
        if (id == null) {
            root.error("id", "is required");
        } else if (!ID.matcher(id).matches()) {
            root.error("id", "'" + id + "' must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String instruction = root.string("instruction", null);
        if (instruction == null || instruction.isBlank()) {
            root.error("instruction", "is required (what the agent is asked to do)");
        }
        int maxSteps = root.integer("max_steps", DEFAULT_MAX_STEPS, 1, MAX_STEPS_LIMIT);
        Integer codeTimeoutMs = root.has("code_timeout_ms") ? root.integer("code_timeout_ms", 0, 1, MAX_CODE_TIMEOUT_MS) : null;
        List<String> tools = root.strings("tools");
        ConfigNode seed = root.section("seed");
        Map<String, String> files = seedFiles(seed);
        ConfigNode mock = seed.section("mock");
        List<JsonNode> mockTools = documents(mock, "tools");
        List<JsonNode> mockData = documents(mock, "data");
        if (mockData.stream().anyMatch(d -> !d.isObject())) {
            mock.error("data", "each document is a mapping {mockResponses?, fixtures?}, as the mock's load-data takes");
        }
        mock.refuseUnknown(Map.of());
        seed.refuseUnknown(Map.of());
        List<Task.Graded> verifier = verifier(root);
        List<Task.Step> solution = solution(root);
        return new Task(id, instruction, files, mockTools, mockData, tools, maxSteps, verifier, solution, codeTimeoutMs, file);
    }

    private Path folder() {
        return file.toAbsolutePath().normalize().getParent();
    }

    /** The seed's files, keys canonical; a task's seed is its own files, so a snapshot (one server's state) is refused. */
    private Map<String, String> seedFiles(ConfigNode seed) {
        SeedSpec spec = SeedSpec.read(seed, "from");
        Map<String, String> given = spec.files();
        if (spec.source() instanceof SeedSpec.Snapshot) {
            seed.section("from").error("snapshot", "a task seeds from its own files (task check runs it on a fresh runtime); give dir, git or files");
        } else if (spec.source() != null) {
            try {
                given = spec.filesUnder(folder());
            } catch (SpindleException e) {
                seed.error("from", e.getMessage());
            }
        }
        ConfigNode filesNode = seed.section("files");
        Map<String, String> files = new LinkedHashMap<>();
        given.forEach((path, text) -> {
            String key = sessionPath(filesNode, path, path);
            if (key != null) {
                files.put(key, text);
            }
        });
        return files;
    }

    /** Each entry a file path (JSON or YAML, relative to the task file) or the document inline. */
    private List<JsonNode> documents(ConfigNode mock, String key) {
        List<JsonNode> entries = mock.list(key);
        List<JsonNode> documents = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            if (entry.isString()) {
                try {
                    documents.add(ConfigText.read(folder().resolve(entry.stringValue())).tree()); // YAML is a superset of JSON
                } catch (ConfigException e) {
                    mock.error(key, i, e.getMessage());
                }
            } else if (entry.isObject() || entry.isArray()) {
                documents.add(entry);
            } else {
                mock.error(key, i, "give a file path or the document inline");
            }
        }
        return documents;
    }

    private List<Task.Step> solution(ConfigNode root) {
        List<Task.Step> solution = new ArrayList<>();
        for (ConfigNode step : root.items("solution")) {
            String tool = step.string("tool", null);
            JsonNode args = step.raw("args");
            if (tool == null || tool.isBlank()) {
                step.error("tool", "is required");
            } else if (!args.isMissingNode() && !args.isNull() && !args.isObject()) {
                step.error("args", "must be a mapping of argument names to values");
            }
            solution.add(new Task.Step(tool, step.string("component", null), args.isMissingNode() || args.isNull() ? null : args));
            step.refuseUnknown(Map.of());
        }
        return solution;
    }

    private List<Task.Graded> verifier(ConfigNode root) {
        List<Task.Graded> verifier = new ArrayList<>();
        List<ConfigNode> entries = root.items("verifier");
        if (entries.isEmpty()) {
            root.error("verifier", "needs at least one assertion");
        }
        for (ConfigNode entry : entries) {
            Task.Graded graded = AssertionKinds.read(entry);
            if (graded != null) {
                verifier.add(graded);
            }
        }
        if (!problems.hasErrors() && verifier.stream().allMatch(Task.Graded::gate)) {
            root.error("verifier", "every assertion is a gate; add one that scores (exists, equals, called, state_hash...)");
        }
        return verifier;
    }
}
