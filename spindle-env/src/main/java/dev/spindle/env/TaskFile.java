package dev.spindle.env;

import dev.spindle.core.ConfigException;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.PathPolicy;
import dev.spindle.core.files.SeedSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a {@code *.task.yaml} strictly (format: {@code docs/tasks.md}): an unknown key, a wrong type or a
 * value out of range is a {@link ConfigException} naming the file, the key and, where the parser knows it,
 * the line. Paths in the seed and the assertions go through the default {@link PathPolicy}, so a task
 * cannot name a path a session could not hold; {@code seed.from} is read as {@code POST /sessions} reads
 * it, under the task file's folder; mock files are read relative to it.
 */
final class TaskFile {
    static final String SUFFIX = ".task.yaml";
    static final int DEFAULT_MAX_STEPS = 30;
    static final int MAX_STEPS_LIMIT = 10_000;
    /** The code tools' longest {@code timeout_ms}. */
    static final int MAX_CODE_TIMEOUT_MS = 30_000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final PathPolicy PATHS = PathPolicy.defaults();
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    record Raw(String id, String instruction, RawSeed seed, List<String> tools, Integer maxSteps, Integer codeTimeoutMs,
            List<RawAssertion> verifier, List<RawStep> solution) {}

    record RawSeed(Map<String, String> files, RawFrom from, RawMock mock) {}

    record RawFrom(String dir, String git, String ref) {}

    /** Each entry a file path (JSON or YAML, relative to the task file) or the document inline. */
    record RawMock(List<JsonNode> tools, List<JsonNode> data) {}

    record RawStep(String tool, String component, JsonNode args) {}

    /** Every key any kind takes; {@link #assertion} checks that exactly one kind is named and only its keys are used. */
    record RawAssertion(String name, Double weight, Boolean gate,
            String exists, String absent, String equals, String contains, String unchanged, String jsonPath,
            String called, String atMost, String neverCalled, String stateHash,
            String text, String pointer, JsonNode value, JsonNode args, Integer times, String component) {}

    private final Path file;
    private final List<String> problems = new ArrayList<>();

    private TaskFile(Path file) {
        this.file = file;
    }

    static Task read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot be read: " + e.getMessage()));
        }
        Raw raw;
        try {
            raw = text.isBlank() ? null : YAML.readValue(text, Raw.class);
        } catch (JacksonException e) {
            throw new ConfigException(file.toString(), List.of(describe(e, text)));
        }
        if (raw == null) {
            throw new ConfigException(file.toString(), List.of("is empty: a task needs id, instruction and verifier"));
        }
        return new TaskFile(file).task(raw);
    }

    /** "line 7: verifier[2]: unknown key 'texts'; known keys: ..." without Java's class names. */
    private static String describe(JacksonException e, String text) {
        int line = lineOf(text, e.getPath());
        if (line < 1 && e.getLocation() != null) {
            line = e.getLocation().getLineNr();
        }
        if (e instanceof PropertyBindingException unknown) {
            String where = (line < 1 ? "" : "line " + line + ": ") + keyPath(e.getPath().subList(0, Math.max(0, e.getPath().size() - 1)));
            String known = unknown.getKnownPropertyIds() == null ? "" : "; known keys: "
                    + unknown.getKnownPropertyIds().stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
            return where + "unknown key '" + unknown.getPropertyName() + "'" + known;
        }
        String where = (line < 1 ? "" : "line " + line + ": ") + keyPath(e.getPath());
        String message = String.valueOf(e.getOriginalMessage()).replaceAll("`(?:[\\w$]+\\.)+([\\w]+)(?:\\$\\w+)?`", "`$1`").lines().findFirst().orElse("");
        return where + "is not a valid task file: " + message;
    }

    /**
     * The line of the key at {@code path}, found by reading the text again: records are bound from buffered
     * tokens, so the exception's own location is where the parser stopped (often the end of the file).
     */
    private static int lineOf(String text, List<JacksonException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            String step = ref.getPropertyName() != null ? ref.getPropertyName() : String.valueOf(ref.getIndex());
            pointer.append('/').append(step.replace("~", "~0").replace("/", "~1"));
        }
        try (JsonParser parser = YAML.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.PROPERTY_NAME && parser.streamReadContext().pathAsPointer().toString().contentEquals(pointer)) {
                    return parser.currentTokenLocation().getLineNr();
                }
            }
        } catch (JacksonException unreadable) {
            // the exception's own location will do
        }
        return -1;
    }

    private static String keyPath(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "" : path + ": ";
    }

    private Task task(Raw raw) {
        String id = raw.id();
        if (id == null || !ID.matcher(id).matches()) {
            problems.add("id: " + (id == null ? "is required" : "'" + id + "' must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        if (raw.instruction() == null || raw.instruction().isBlank()) {
            problems.add("instruction: is required (what the agent is asked to do)");
        }
        int maxSteps = raw.maxSteps() == null ? DEFAULT_MAX_STEPS : raw.maxSteps();
        if (maxSteps < 1 || maxSteps > MAX_STEPS_LIMIT) {
            problems.add("max_steps: must be 1 to " + MAX_STEPS_LIMIT + ", got " + maxSteps);
        }
        if (raw.codeTimeoutMs() != null && (raw.codeTimeoutMs() < 1 || raw.codeTimeoutMs() > MAX_CODE_TIMEOUT_MS)) {
            problems.add("code_timeout_ms: must be 1 to " + MAX_CODE_TIMEOUT_MS + ", got " + raw.codeTimeoutMs());
        }
        List<String> tools = raw.tools() == null ? List.of() : raw.tools();
        if (tools.stream().anyMatch(t -> t == null || t.isBlank())) {
            problems.add("tools: names must be non-empty strings");
        }
        RawSeed seed = raw.seed() == null ? new RawSeed(null, null, null) : raw.seed();
        Map<String, String> files = seedFiles(seed);
        RawMock mock = seed.mock() == null ? new RawMock(null, null) : seed.mock();
        List<JsonNode> mockTools = documents("seed.mock.tools", mock.tools());
        List<JsonNode> mockData = documents("seed.mock.data", mock.data());
        if (mockData.stream().anyMatch(d -> !d.isObject())) {
            problems.add("seed.mock.data: each document is a mapping {mockResponses?, fixtures?}, as the mock's load-data takes");
        }
        List<Task.Graded> verifier = verifier(raw.verifier());
        List<Task.Step> solution = solution(raw.solution());
        if (!problems.isEmpty()) {
            throw new ConfigException(file.toString(), problems);
        }
        return new Task(id, raw.instruction(), files, mockTools, mockData, tools, maxSteps, verifier, solution, raw.codeTimeoutMs(), file);
    }

    private Path folder() {
        return file.toAbsolutePath().normalize().getParent();
    }

    /** {@code from} first, then the inline files, which win on the same path; keys canonical. */
    private Map<String, String> seedFiles(RawSeed seed) {
        Map<String, String> given = new LinkedHashMap<>();
        RawFrom from = seed.from();
        if (from != null) {
            if ((from.dir() == null) == (from.git() == null)) {
                problems.add("seed.from: give either dir (a folder) or git (a repository URL or folder), with an optional ref");
            } else {
                try {
                    given.putAll(SeedSources.from(folder(), from.dir(), from.git(), from.ref()));
                } catch (SpindleException e) {
                    problems.add("seed.from: " + e.getMessage());
                }
            }
        }
        if (seed.files() != null) {
            given.putAll(seed.files());
        }
        Map<String, String> files = new LinkedHashMap<>();
        given.forEach((path, text) -> {
            String key = path("seed.files", path);
            if (text == null) {
                problems.add("seed.files." + path + ": has no content; give a string");
            } else if (key != null) {
                files.put(key, text);
            }
        });
        return files;
    }

    /** The canonical key of a session path, or null (with a problem noted) when the path policy refuses it. */
    private String path(String where, String raw) {
        if (raw == null || raw.isBlank()) {
            problems.add(where + ": needs a path");
            return null;
        }
        try {
            return PATHS.file(raw).key();
        } catch (SpindleException e) {
            problems.add(where + ": " + e.getMessage());
            return null;
        }
    }

    private List<JsonNode> documents(String where, List<JsonNode> entries) {
        List<JsonNode> documents = new ArrayList<>();
        if (entries == null) {
            return documents;
        }
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            if (entry != null && entry.isString()) {
                Path document = folder().resolve(entry.stringValue());
                try {
                    documents.add(YAML.readTree(Files.readString(document))); // YAML is a superset of JSON
                } catch (IOException e) {
                    problems.add(where + "[" + i + "]: cannot read " + document + ": " + e.getMessage());
                } catch (JacksonException e) {
                    problems.add(where + "[" + i + "]: " + document + " is not JSON or YAML: " + e.getOriginalMessage());
                }
            } else if (entry != null && (entry.isObject() || entry.isArray())) {
                documents.add(entry);
            } else {
                problems.add(where + "[" + i + "]: give a file path or the document inline");
            }
        }
        return documents;
    }

    private List<Task.Step> solution(List<RawStep> steps) {
        List<Task.Step> solution = new ArrayList<>();
        for (int i = 0; steps != null && i < steps.size(); i++) {
            RawStep step = steps.get(i);
            if (step == null || step.tool() == null || step.tool().isBlank()) {
                problems.add("solution[" + i + "]: tool is required");
            } else if (step.args() != null && !step.args().isObject()) {
                problems.add("solution[" + i + "].args: must be a mapping of argument names to values");
            } else {
                solution.add(new Task.Step(step.tool(), step.component(), step.args()));
            }
        }
        return solution;
    }

    private List<Task.Graded> verifier(List<RawAssertion> raws) {
        List<Task.Graded> verifier = new ArrayList<>();
        if (raws == null || raws.isEmpty()) {
            problems.add("verifier: needs at least one assertion");
            return verifier;
        }
        for (int i = 0; i < raws.size(); i++) {
            if (raws.get(i) == null) {
                problems.add("verifier[" + i + "]: is empty");
                continue;
            }
            Task.Graded graded = new AssertionReader("verifier[" + i + "]", raws.get(i)).read();
            if (graded != null) {
                verifier.add(graded);
            }
        }
        if (!verifier.isEmpty() && verifier.stream().allMatch(Task.Graded::gate)) {
            problems.add("verifier: every assertion is a gate; add one that scores (exists, equals, called, state_hash...)");
        }
        return verifier;
    }

    /** One verifier entry: its kind, the keys that kind takes, and its name, weight and gate. */
    private final class AssertionReader {
        private final String where;
        private final RawAssertion raw;
        private final List<String> used = new ArrayList<>();

        AssertionReader(String where, RawAssertion raw) {
            this.where = where;
            this.raw = raw;
        }

        Task.Graded read() {
            Map<String, String> kinds = new LinkedHashMap<>();
            put(kinds, "exists", raw.exists());
            put(kinds, "absent", raw.absent());
            put(kinds, "equals", raw.equals());
            put(kinds, "contains", raw.contains());
            put(kinds, "unchanged", raw.unchanged());
            put(kinds, "json_path", raw.jsonPath());
            put(kinds, "called", raw.called());
            put(kinds, "at_most", raw.atMost());
            put(kinds, "never_called", raw.neverCalled());
            put(kinds, "state_hash", raw.stateHash());
            if (kinds.size() != 1) {
                problems.add(where + ": name exactly one kind (exists, absent, equals, contains, unchanged, json_path, called, at_most, "
                        + "never_called or state_hash)" + (kinds.isEmpty() ? "" : "; found " + String.join(", ", kinds.keySet())));
                return null;
            }
            String kind = kinds.keySet().iterator().next();
            String target = kinds.get(kind);
            int before = problems.size();
            Assertion assertion = assertion(kind, target);
            refuseUnused(kind);
            boolean gate = raw.gate() != null ? raw.gate() : kind.equals("never_called") || kind.equals("at_most") || kind.equals("unchanged");
            double weight = gate ? 0 : raw.weight() == null ? 1 : raw.weight();
            if (raw.weight() != null && (gate || !(weight > 0) || Double.isInfinite(weight))) {
                problems.add(where + ".weight: " + (gate ? "a gate has no weight (it zeroes the reward when it fails)" : "must be a positive number"));
            }
            if (problems.size() > before) {
                return null;
            }
            return new Task.Graded(raw.name() == null ? kind + " " + target : raw.name(), weight, gate, assertion);
        }

        private static void put(Map<String, String> kinds, String kind, String target) {
            if (target != null) {
                kinds.put(kind, target);
            }
        }

        private Assertion assertion(String kind, String target) {
            return switch (kind) {
                case "exists" -> file(kind, target, FileAssertion.Exists::new);
                case "absent" -> file(kind, target, FileAssertion.Absent::new);
                case "unchanged" -> file(kind, target, FileAssertion.Unchanged::new);
                case "equals" -> file(kind, target, key -> new FileAssertion.Equals(key, text()));
                case "contains" -> file(kind, target, key -> new FileAssertion.Contains(key, text()));
                case "json_path" -> file(kind, target, key -> new FileAssertion.JsonPathEquals(key, pointer(), value()));
                case "called" -> new CallAssertion.Called(match(target), times(1));
                case "at_most" -> new CallAssertion.AtMost(match(target), times(null));
                case "never_called" -> new CallAssertion.NeverCalled(match(target));
                default -> stateHash(target);
            };
        }

        private Assertion file(String kind, String target, Function<String, Assertion> make) {
            String key = path(where + "." + kind, target);
            return key == null ? null : make.apply(key);
        }

        private String text() {
            used.add("text");
            if (raw.text() == null) {
                problems.add(where + ".text: is required (the file's expected text)");
            }
            return raw.text();
        }

        private JsonPointer pointer() {
            used.add("pointer");
            used.add("value");
            if (raw.value() == null) {
                problems.add(where + ".value: is required (the JSON value expected at the pointer; null for JSON null)");
            }
            try {
                return JsonPointer.compile(raw.pointer() == null ? "" : raw.pointer());
            } catch (IllegalArgumentException e) {
                problems.add(where + ".pointer: '" + raw.pointer() + "' is not a JSON Pointer (RFC 6901, e.g. /dependencies/0/name)");
                return JsonPointer.empty();
            }
        }

        private JsonNode value() {
            return raw.value();
        }

        private CallAssertion.Match match(String tool) {
            used.add("args");
            used.add("component");
            if (tool.isBlank()) {
                problems.add(where + ": needs a tool name");
            }
            if (raw.args() != null && !raw.args().isObject()) {
                problems.add(where + ".args: must be a mapping (the arguments a matching call contains)");
            }
            return new CallAssertion.Match(tool, raw.component(), raw.args());
        }

        /** {@code times}: given, or {@code fallback}; required when there is no fallback. */
        private int times(Integer fallback) {
            used.add("times");
            Integer times = raw.times() != null ? raw.times() : fallback;
            if (times == null || times < 0 || fallback != null && times < 1) {
                problems.add(where + ".times: " + (times == null ? "is required (the most calls allowed)" : "must be at least " + (fallback == null ? 0 : 1)));
                return 0;
            }
            return times;
        }

        private Assertion stateHash(String expected) {
            if (!expected.equals(StateHashEquals.REFERENCE) && !expected.matches("[0-9a-f]{64}")) {
                problems.add(where + ".state_hash: give 'reference' (the reference solution's state) or a 64-digit hex SHA-256");
            }
            return new StateHashEquals(expected);
        }

        /** A key given that this kind does not read is a mistake worth naming (a {@code text} on {@code exists}). */
        private void refuseUnused(String kind) {
            Map<String, Object> operands = new LinkedHashMap<>();
            operands.put("text", raw.text());
            operands.put("pointer", raw.pointer());
            operands.put("value", raw.value());
            operands.put("args", raw.args());
            operands.put("times", raw.times());
            operands.put("component", raw.component());
            operands.forEach((key, value) -> {
                if (value != null && !used.contains(key)) {
                    problems.add(where + "." + key + ": " + kind + " does not take " + key);
                }
            });
        }
    }
}
