package dev.spindle.eval;

import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.generator.Records;
import dev.spindle.generator.ReplaySessions;
import dev.spindle.generator.Sample;
import dev.spindle.generator.Verifier;
import dev.spindle.generator.tools.AgentTool;
import dev.spindle.generator.tools.ToolBox;
import dev.spindle.generator.tools.ToolCalls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A dataset record attempted: the model gets the record's system and first user message and its tools,
 * in a fresh session started as the record's was; the record's own tool calls are replayed in another
 * fresh session, and the two final states are compared by their digest (files, mock and script state),
 * so a model that reaches the record's state by another path scores. A record whose calls change no
 * state is graded by tool selection and answer only (every tool the record called, and a final answer),
 * and says so. DeepFabric's static first-call metrics go beside, on the same record.
 */
record RecordItem(int number, JsonNode record, ReplaySessions sessions, ToolBox served, int maxCalls, UnaryOperator<String> digest)
        implements EvalRun.Item {
    /** How a record's id begins; its line number follows. */
    static final String PREFIX = "record-";


    /** The records of a JSONL dataset, each with its line number; a line that is not a JSON object is refused with its number. */
    static List<RecordItem> load(Path dataset, ReplaySessions sessions, ToolBox served, int maxCalls, UnaryOperator<String> digest) {
        List<RecordItem> items = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(dataset)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record;
                try {
                    record = Json.parse(line);
                } catch (RuntimeException e) {
                    throw new ConfigException(dataset + ": line " + number + " is not JSON");
                }
                if (!record.path("messages").isArray() || userMessage(record) == null) {
                    throw new ConfigException(dataset + ": line " + number + " has no messages with a user message");
                }
                items.add(new RecordItem(number, record, sessions, served, maxCalls, digest));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dataset + ": " + e.getMessage(), e);
        }
        if (items.isEmpty()) {
            throw new ConfigException(dataset + " holds no record");
        }
        return items;
    }

    @Override
    public String id() {
        return PREFIX + number;
    }

    @Override
    public ObjectNode graded(int attempt, EvalRun run) {
        ToolBox tools = offered();
        EvalRun.Played played;
        String reached;
        try (ReplaySessions.ReplaySession session = open()) {
            played = run.play(id(), attempt, systemMessage(), userMessage(record), tools, session.runner(), maxCalls, session.id());
            reached = digest(session.id());
        }
        Reference reference = reference();
        Sample sample = played.sample();
        boolean byState = !reference.before().equals(reference.after());
        boolean solved;
        if (byState) {
            solved = reached.equals(reference.after());
        } else {
            Set<String> called = new HashSet<>();
            sample.calls().forEach(call -> called.add(call.name()));
            solved = called.containsAll(reference.tools()) && !sample.finalAnswer().isBlank();
        }
        ObjectNode line = run.line(id(), attempt, played, solved ? 1.0 : 0.0, solved);
        line.put("record", number).put("graded_by", byState ? "state" : "tool_selection");
        if (!byState) {
            line.put("graded_by_note", "the record's calls change no state: graded by its tools called and a final answer given");
        }
        Sample.Call first = sample.calls().isEmpty() ? null : sample.calls().getFirst();
        FirstCallMetrics metrics = FirstCallMetrics.of(record, first == null ? null : first.name(), first == null ? null : parsed(first.arguments()));
        if (metrics != null) {
            line.set("deepfabric", metrics.toJson());
        }
        ((ObjectNode) line.get("trajectory").get("metadata")).put("record", number);
        return line;
    }

    /** The record's tools that the config's service runs (all of them when the record lists none), with the service's definitions. */
    private ToolBox offered() {
        JsonNode listed = record.path("tools");
        if (!listed.isArray() || listed.isEmpty()) {
            return served;
        }
        Set<String> names = new LinkedHashSet<>();
        listed.forEach(tool -> names.add(tool.path("function").path("name").asString("")));
        List<AgentTool> tools = served.all().stream().filter(tool -> names.contains(tool.name())).toList();
        return new ToolBox(tools);
    }

    private ReplaySessions.ReplaySession open() {
        try {
            return sessions.open(record);
        } catch (SpindleException e) {
            throw new EvalRun.Infra("tool_service", "the record's session could not be opened: " + e.getMessage());
        }
    }

    private String digest(String session) {
        try {
            return digest.apply(session);
        } catch (SpindleException e) {
            throw new EvalRun.Infra("tool_service", "the session's state could not be read: " + e.getMessage());
        }
    }

    /** The record's own calls replayed: the state before and after them, and the tools they called. */
    private record Reference(String before, String after, Set<String> tools) {}

    private Reference reference() {
        Set<String> tools = new LinkedHashSet<>();
        try (ReplaySessions.ReplaySession session = open()) {
            String before = digest(session.id());
            for (JsonNode message : record.path("messages")) {
                for (JsonNode call : message.path("tool_calls")) {
                    String name = call.path("function").path("name").asString("");
                    JsonNode raw = call.path("function").path("arguments");
                    tools.add(name);
                    ToolCalls.Execution execution = ToolCalls.run(session.runner(), session.tools(), session.id(), name,
                            raw.isString() ? raw.stringValue() : Json.write(raw));
                    if (!execution.result().success() && Verifier.circumstantial(execution.result().errorType())) { // says nothing of the record's state
                        throw new EvalRun.Infra("reference_replay", "the record's call " + name + " answered "
                                + execution.result().errorType().name() + " when replayed: " + execution.result().result());
                    }
                }
            }
            return new Reference(before, digest(session.id()), tools);
        } catch (SpindleException e) {
            throw new EvalRun.Infra("tool_service", "the record's calls could not be replayed: " + e.getMessage());
        }
    }

    private String systemMessage() {
        for (JsonNode message : record.path("messages")) {
            if (message.path("role").asString("").equals("system")) {
                return Records.contentText(message.path("content"));
            }
        }
        return null;
    }

    private static String userMessage(JsonNode record) {
        for (JsonNode message : record.path("messages")) {
            if (message.path("role").asString("").equals("user")) {
                return Records.contentText(message.path("content"));
            }
        }
        return null;
    }

    private static JsonNode parsed(String arguments) {
        try {
            return Json.parse(arguments);
        } catch (RuntimeException notJson) {
            return null;
        }
    }
}
