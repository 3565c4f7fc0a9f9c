package dev.spindle.env;

import dev.spindle.core.config.ConfigNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * The verifier's kinds ({@code docs/tasks.md}), each a small reader: the kind's key holds its target (a
 * path, a tool, a digest) and the reader takes the operands that kind needs. A verifier entry names exactly
 * one kind, plus {@code name}, {@code weight} and {@code gate}, and no operand another kind takes.
 */
final class AssertionKinds {
    /** How one kind is read: whether it gates by default, the operands it takes, and its assertion from an entry and a target. */
    private record Kind(boolean gate, List<String> operands, BiFunction<Entry, String, Assertion> read) {}

    private static final List<String> CALL_OPERANDS = List.of("args", "component", "times");
    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("exists", new Kind(false, List.of(), (e, target) -> e.file(target, FileAssertion.Exists::new)));
        KINDS.put("absent", new Kind(false, List.of(), (e, target) -> e.file(target, FileAssertion.Absent::new)));
        KINDS.put("equals", new Kind(false, List.of("text"), (e, target) -> e.file(target, path -> new FileAssertion.Equals(path, e.text()))));
        KINDS.put("contains", new Kind(false, List.of("text"), (e, target) -> e.file(target, path -> new FileAssertion.Contains(path, e.text()))));
        KINDS.put("unchanged", new Kind(true, List.of(), (e, target) -> e.file(target, FileAssertion.Unchanged::new)));
        KINDS.put("json_path", new Kind(false, List.of("pointer", "value"),
                (e, target) -> e.file(target, path -> new FileAssertion.JsonPathEquals(path, e.pointer(), e.value()))));
        KINDS.put("called", new Kind(false, CALL_OPERANDS, (e, target) -> new CallAssertion.Called(e.match(target), e.times(1))));
        KINDS.put("at_most", new Kind(true, CALL_OPERANDS, (e, target) -> new CallAssertion.AtMost(e.match(target), e.times(null))));
        KINDS.put("never_called", new Kind(true, List.of("args", "component"), (e, target) -> new CallAssertion.NeverCalled(e.match(target))));
        KINDS.put("state_hash", new Kind(false, List.of(), Entry::stateHash));
        KINDS.put("command", new Kind(false, CommandAssertion.OPERANDS, Entry::command));
    }

    private static final List<String> COMMON = List.of("name", "weight", "gate");
    private static final Set<String> OPERANDS = new LinkedHashSet<>();
    private static final Set<String> KEYS = new LinkedHashSet<>(COMMON);

    static {
        KINDS.values().forEach(kind -> OPERANDS.addAll(kind.operands()));
        KEYS.addAll(KINDS.keySet());
        KEYS.addAll(OPERANDS);
    }

    private AssertionKinds() {}

    /** The entry as a graded assertion; null when it is empty or has a problem (reported on {@code node}). */
    static Task.Graded read(ConfigNode node) {
        if (node.isEmpty()) {
            node.error("is empty");
            return null;
        }
        node.expect(KEYS);
        if (node.object() == null || node.refuseUnknown(Map.of())) {
            return null; // a misspelt kind is named as such, not as a missing kind
        }
        List<String> named = KINDS.keySet().stream().filter(node::has).toList();
        if (named.size() != 1) {
            List<String> kinds = List.copyOf(KINDS.keySet());
            node.error("name exactly one kind (" + String.join(", ", kinds.subList(0, kinds.size() - 1)) + " or " + kinds.getLast() + ")"
                    + (named.isEmpty() ? "" : "; found " + String.join(", ", named)));
            return null;
        }
        String kindName = named.getFirst();
        Kind kind = KINDS.get(kindName);
        for (String operand : OPERANDS) {
            if (node.has(operand) && !kind.operands().contains(operand)) {
                node.error(operand, kindName + " does not take " + operand);
            }
        }
        String target = node.string(kindName, "");
        Assertion assertion = kind.read().apply(new Entry(node, kindName), target);
        boolean gate = node.has("gate") ? node.bool("gate", kind.gate()) : kind.gate();
        double weight = weight(node, gate);
        return new Task.Graded(node.string("name", kindName + " " + target), weight, gate, assertion);
    }

    /** 1 unless given; a gate takes none (it zeroes the reward when it fails). */
    private static double weight(ConfigNode node, boolean gate) {
        JsonNode weight = node.raw("weight");
        if (weight.isMissingNode() || weight.isNull()) {
            return gate ? 0 : 1;
        }
        if (gate) {
            node.error("weight", "a gate has no weight (it zeroes the reward when it fails)");
        } else if (!weight.isNumber() || !(weight.asDouble() > 0) || Double.isInfinite(weight.asDouble())) {
            node.error("weight", "must be a positive number");
        }
        return gate ? 0 : weight.asDouble();
    }

    /** One entry being read as its kind: the operands, each checked where it stands. */
    private record Entry(ConfigNode node, String kind) {
        Assertion file(String target, Function<String, Assertion> make) {
            String path = TaskFile.sessionPath(node, kind, target);
            return path == null ? null : make.apply(path);
        }

        String text() {
            String text = node.string("text", null);
            if (text == null) {
                node.error("text", "is required (the file's expected text)");
            }
            return text;
        }

        JsonPointer pointer() {
            String pointer = node.string("pointer", "");
            try {
                return JsonPointer.compile(pointer);
            } catch (IllegalArgumentException e) {
                node.error("pointer", "'" + pointer + "' is not a JSON Pointer (RFC 6901, e.g. /dependencies/0/name)");
                return JsonPointer.empty();
            }
        }

        JsonNode value() {
            JsonNode value = node.raw("value");
            if (value.isMissingNode()) {
                node.error("value", "is required (the JSON value expected at the pointer; null for JSON null)");
                return null;
            }
            return value;
        }

        CallAssertion.Match match(String tool) {
            if (tool.isBlank()) {
                node.error("needs a tool name");
            }
            JsonNode args = node.raw("args");
            if (!args.isMissingNode() && !args.isNull() && !args.isObject()) {
                node.error("args", "must be a mapping (the arguments a matching call contains)");
            }
            return new CallAssertion.Match(tool, node.string("component", null), args.isMissingNode() || args.isNull() ? null : args);
        }

        /** {@code times}: given, or {@code fallback}; required when there is no fallback (then 0 is allowed). */
        int times(Integer fallback) {
            if (!node.has("times")) {
                if (fallback == null) {
                    node.error("times", "is required (the most calls allowed)");
                }
                return fallback == null ? 0 : fallback;
            }
            int least = fallback == null ? 0 : 1;
            return node.integer("times", least, least, Integer.MAX_VALUE);
        }

        Assertion command(String command) {
            if (command.isBlank()) {
                node.error(kind, "needs a command line (run with bash in the session's files)");
            }
            CommandAssertion.Scoring scoring = CommandAssertion.Scoring.valueOf(node.choice("score", "exit", new LinkedHashSet<>(List.of("exit", "pytest", "junit"))));
            String report = null;
            if (scoring == CommandAssertion.Scoring.junit) {
                report = node.has("report") ? TaskFile.sessionPath(node, "report", node.string("report", "")) : null;
                if (!node.has("report")) {
                    node.error("report", "is required with score: junit (the JUnit XML file the command writes)");
                }
            } else if (node.has("report")) {
                node.error("report", "is read with score: junit only");
            }
            if (node.has("exit_code") && scoring != CommandAssertion.Scoring.exit) {
                node.error("exit_code", "is checked with score: exit only; score: " + scoring + " grades by the tests that passed");
            }
            int exitCode = node.integer("exit_code", 0, 0, 255);
            Duration timeout = node.has("timeout_ms") ? Duration.ofMillis(node.integer("timeout_ms", 0, 1, CommandAssertion.MAX_TIMEOUT_MS))
                    : CommandAssertion.DEFAULT_TIMEOUT;
            return new CommandAssertion(command, scoring, exitCode, report, timeout);
        }

        Assertion stateHash(String expected) {
            if (!expected.equals(StateHashEquals.REFERENCE) && !expected.matches("[0-9a-f]{64}")) {
                node.error(kind, "give 'reference' (the reference solution's state) or a 64-digit hex SHA-256");
            }
            return new StateHashEquals(expected);
        }
    }
}
