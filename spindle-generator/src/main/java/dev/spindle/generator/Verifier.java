package dev.spindle.generator;

import dev.spindle.core.ErrorType;
import dev.spindle.core.FailureKind;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.generator.tools.ToolCalls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code spindle verify}: replays every record's assistant tool calls, in order, in a fresh session
 * seeded as the config says, and compares each real result with the record's tool message (paired by
 * {@code tool_call_id}). Works on any OpenAI-messages dataset with tool calls, so a dataset made with
 * simulated tools shows where its tool answers were invented.
 */
public final class Verifier {
    /**
     * Per-record outcomes, as the summary counts them. {@code unverifiable}: a replayed call met what says
     * nothing of the tool (its time limit, the store, the server), so the record is neither proven nor
     * disproven, even when it recorded the same failure.
     */
    public enum Status { ok, mismatch, unverifiable, unknown_tool, no_tool_calls, invalid }

    /** Failures of the replay's circumstances, not of the state and arguments: a time limit, the store, the server. */
    private static final Set<FailureKind> CIRCUMSTANTIAL = Set.of(ErrorType.Timeout, ErrorType.IOError, HttpError.Internal, HttpError.Overloaded);

    /** Whether a replayed call's failure says something of its circumstances only, not of the tool's answer. */
    public static boolean circumstantial(FailureKind type) {
        return type != null && CIRCUMSTANTIAL.contains(type);
    }

    /**
     * The totals; {@code failed()} is what makes the command exit 1. {@code filesMissingNow} counts the
     * mismatches whose call found no file where the record had read one; {@code seeded}: replays started
     * from seed files.
     */
    public record Report(Map<Status, Integer> counts, int filesMissingNow, boolean seeded) {
        public int count(Status status) {
            return counts.getOrDefault(status, 0);
        }

        /**
         * A mismatch, an invalid record, no record at all (an empty dataset proves nothing), or records that
         * could not be verified and none that was.
         */
        public boolean failed() {
            return count(Status.mismatch) > 0 || count(Status.invalid) > 0 || total() == 0
                    || count(Status.unverifiable) > 0 && count(Status.ok) == 0;
        }

        public String line() {
            return total() == 0 ? "verified nothing: the dataset has no records"
                    : "verified " + total() + " records: " + String.join(", ", counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList());
        }

        private int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        /**
         * Why nothing reproduced, when it looks like a dataset made on seed files replayed without them:
         * no seed, no record ok, and every mismatch a file the record read that the fresh session lacks.
         */
        public Optional<String> seedHint() {
            int mismatches = count(Status.mismatch);
            if (seeded || mismatches == 0 || count(Status.ok) > 0 || filesMissingNow < mismatches) {
                return Optional.empty();
            }
            return Optional.of("none of the " + mismatches + " records reproduced, and each mismatch is a call that finds no file where"
                    + " the record read one: the dataset was probably made on seed files that this replay lacks. Give the config that"
                    + " made it (--config CONFIG): its generation.tools.scenario_seed seeds each replay.");
        }
    }

    private final ReplaySessions sessions;

    public Verifier(ReplaySessions sessions) {
        this.sessions = sessions;
    }

    /** One record's outcome; {@code record} is its line number. */
    public record Result(int record, Status status, String detail) {
        public String line() {
            return "record " + record + ": " + status + (detail == null ? "" : " - " + detail);
        }

        public ObjectNode toJson() {
            ObjectNode json = Json.object().put("record", record).put("status", status.name());
            return detail == null ? json : json.put("detail", detail);
        }
    }

    /** Checks every record, handing each result to {@code out} as it is known; prints nothing itself. */
    public Report verify(Path dataset, Consumer<Result> out) {
        Map<Status, Integer> counts = new EnumMap<>(Status.class);
        int filesMissingNow = 0;
        try (BufferedReader reader = Files.newBufferedReader(dataset)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    RecordCheck checked = check(line);
                    counts.merge(checked.status(), 1, Integer::sum);
                    filesMissingNow += checked.missesAFileTheRecordRead() ? 1 : 0;
                    out.accept(new Result(number, checked.status(), checked.detail()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dataset + ": " + e.getMessage(), e);
        } finally {
            sessions.finish();
        }
        return new Report(counts, filesMissingNow, sessions.seeded());
    }

    private RecordCheck check(String line) {
        JsonNode record;
        try {
            record = Json.parse(line);
        } catch (RuntimeException e) {
            return new RecordCheck(Status.invalid, "not JSON: " + e.getMessage(), List.of());
        }
        return replay(record);
    }

    /**
     * One tool call replayed: its place among the record's calls, what the record says it answered
     * ({@code recorded}, null when no tool message answers it) and what the tool answers now.
     */
    public record CallCheck(int position, String id, String tool, String arguments, String recorded, String actual, FailureKind errorType) {
        public boolean matches() {
            return recorded != null && same(recorded, actual);
        }

        String label() {
            return "call " + position + " " + tool + "(" + arguments + ")";
        }

        /** The tool finds no file now where the record's call found one (its message is no FileNotFound). */
        boolean findsNoFileTheRecordRead() {
            return errorType == ErrorType.FileNotFound && recorded != null && !recorded.startsWith("Error (" + ErrorType.FileNotFound.name() + ")");
        }

        public ObjectNode toJson() {
            ObjectNode json = Json.object().put("position", position).put("id", id).put("tool", tool).put("arguments", arguments)
                    .put("recorded", recorded).put("actual", actual).put("matches", matches());
            if (errorType != null) {
                json.put("error_type", errorType.name());
            }
            return recorded == null || matches() ? json : json.put("diff", diff(recorded, actual));
        }
    }

    /** A record's outcome and every call of it, replayed in order in one session. */
    public record RecordCheck(Status status, String detail, List<CallCheck> calls) {
        /** A mismatch at a call that finds no file where the record read one, as a replay without the record's seed files does. */
        boolean missesAFileTheRecordRead() {
            return status == Status.mismatch && calls.stream().filter(call -> !call.matches()).findFirst()
                    .map(CallCheck::findsNoFileTheRecordRead).orElse(false);
        }

        public ObjectNode toJson() {
            ObjectNode json = Json.object().put("status", status.name()).put("detail", detail);
            calls.forEach(call -> json.withArray("calls").add(call.toJson()));
            return json;
        }
    }

    /** Replays one record on its own (the web console verifies so). */
    public RecordCheck check(JsonNode record) {
        try {
            return replay(record);
        } finally {
            sessions.finish();
        }
    }

    private RecordCheck replay(JsonNode record) {
        JsonNode messages = record.path("messages");
        Map<String, String> toolMessages = new HashMap<>();
        List<JsonNode> calls = new ArrayList<>();
        for (JsonNode message : messages) {
            if (message.path("role").asString("").equals("tool")) {
                toolMessages.put(message.path("tool_call_id").asString(""), Records.contentText(message.path("content")));
            }
            message.path("tool_calls").forEach(calls::add);
        }
        if (calls.isEmpty()) {
            return new RecordCheck(Status.no_tool_calls, null, List.of());
        }
        List<CallCheck> checks = new ArrayList<>();
        try (ReplaySessions.ReplaySession session = sessions.open(record)) {
            for (JsonNode call : calls) {
                checks.add(replay(session, checks.size() + 1, call, toolMessages));
            }
            RecordCheck outcome = outcome(checks, session.tools() == null ? null : session.toolSet());
            if (outcome.status() != Status.ok) {
                return outcome;
            }
            return session.outcomeDiffers().map(differs -> new RecordCheck(Status.mismatch, differs, checks)).orElse(outcome);
        } catch (ReplaySessions.Refused refused) {
            return new RecordCheck(Status.invalid, refused.getMessage(), checks);
        }
    }

    private CallCheck replay(ReplaySessions.ReplaySession session, int position, JsonNode call, Map<String, String> toolMessages) {
        String name = call.path("function").path("name").asString("");
        JsonNode rawArguments = call.path("function").path("arguments");
        String arguments = rawArguments.isString() ? rawArguments.stringValue() : Json.write(rawArguments);
        String id = call.path("id").asString("");
        ToolCalls.Execution execution = ToolCalls.run(session.runner(), session.tools(), session.id(), name, arguments);
        return new CallCheck(position, id, name, arguments, toolMessages.get(id), execution.content(), execution.result().errorType());
    }

    /** The record's status is its first call that does not reproduce, or that the replay could not judge, if any. */
    /** {@code toolSet} names the tools the record may call, null when any the service has. */
    private RecordCheck outcome(List<CallCheck> checks, String toolSet) {
        for (CallCheck call : checks) {
            if (call.recorded() == null) {
                return new RecordCheck(Status.invalid, call.label() + ": no tool message answers call id " + call.id(), checks);
            }
            if (circumstantial(call.errorType())) {
                return new RecordCheck(Status.unverifiable, call.label() + ": the replay answered " + call.errorType().name()
                        + ", which says nothing of the tool's answer (" + call.actual() + ")", checks);
            }
            if (!call.matches() && call.errorType() == ErrorType.UnknownTool) {
                return new RecordCheck(Status.unknown_tool, call.label() + (toolSet == null ? ": no component here serves it" : ": not among " + toolSet), checks);
            }
            if (!call.matches()) {
                return new RecordCheck(Status.mismatch, call.label() + ": " + diff(call.recorded(), call.actual()), checks);
            }
        }
        return new RecordCheck(Status.ok, checks.size() + (checks.size() == 1 ? " call" : " calls") + " reproduced", checks);
    }

    /** Equal text, or equal JSON (DeepFabric's client re-serialises structured results with other spacing). */
    static boolean same(String recorded, String actual) {
        if (recorded.equals(actual)) {
            return true;
        }
        try {
            return Objects.equals(Json.parse(recorded), Json.parse(actual));
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    /** Where the two texts part, with a little context on each side. */
    static String diff(String recorded, String actual) {
        int at = 0;
        while (at < recorded.length() && at < actual.length() && recorded.charAt(at) == actual.charAt(at)) {
            at++;
        }
        int from = Math.max(0, at - 20);
        return "differs at character " + at + ": recorded \"" + excerpt(recorded, from) + "\" but the tool gives \"" + excerpt(actual, from) + "\"";
    }

    private static String excerpt(String text, int from) {
        String part = text.substring(Math.min(from, text.length()), Math.min(text.length(), from + 60));
        return (from > 0 ? "..." : "") + part.replace("\n", "\\n") + (from + 60 < text.length() ? "..." : "");
    }
}
