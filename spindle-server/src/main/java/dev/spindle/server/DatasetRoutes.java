package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.RegularFile;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The web console's dataset API: list and upload JSONL datasets, page and filter records, charts' numbers, verify one record. */
final class DatasetRoutes {
    private static final int MAX_PAGE = 100;

    private final Datasets datasets;
    private final RecordVerifier verifier;

    DatasetRoutes(Datasets datasets, RecordVerifier verifier) {
        this.datasets = datasets;
        this.verifier = verifier;
    }

    /** {@code GET /datasets}: {@code {datasets: [{name, bytes, summary}]}}. */
    void list(Exchange ex) {
        ArrayNode list = Json.array();
        datasets.list().forEach(d -> list.addObject().put("name", d.name()).put("bytes", d.bytes()).put("summary", d.summary()));
        ObjectNode json = Json.object();
        json.set("datasets", list);
        ex.ok(json);
    }

    /** {@code POST /datasets {name, content}}: keeps an uploaded JSONL text; 201 {@code {name}} to open it by. */
    void upload(Exchange ex) {
        JsonNode body = ex.json();
        if (!body.path("name").isString() || !body.path("content").isString()) {
            throw Exchange.badRequest("the body must be {\"name\": \"run.jsonl\", \"content\": \"JSONL text\"}");
        }
        ex.respond(201, Json.object().put("name", datasets.upload(body.get("name").stringValue(), body.get("content").stringValue())));
    }

    /**
     * {@code GET /datasets/{name}/records?offset=&limit=&q=&tool=&error_type=&status=&task=}: the matching records
     * of one page, each with its line number, tools, error types and verify status (an eval attempt's outcome, and
     * its task); the total that matched; and every tool, error type, status and task of the dataset with its
     * count, for the filters.
     */
    void records(Exchange ex, String name) {
        DatasetIndex index = datasets.index(name);
        Predicate<DatasetIndex.Entry> filter = e -> true;
        String tool = ex.query("tool", null);
        String errorType = ex.query("error_type", null);
        String status = ex.query("status", null);
        String task = ex.query("task", null);
        String query = ex.query("q", null);
        if (tool != null) {
            filter = filter.and(e -> e.tools().contains(tool));
        }
        if (errorType != null) {
            filter = filter.and(e -> e.errorTypes().contains(errorType));
        }
        if (status != null) {
            filter = filter.and(e -> index.status(e).equals(status));
        }
        if (task != null) {
            filter = filter.and(e -> task.equals(e.task()));
        }
        if (query != null) {
            filter = filter.and(index.containing(query));
        }
        int offset = ex.query("offset", 0, Integer.MAX_VALUE, 0);
        int limit = ex.query("limit", 1, MAX_PAGE, 20);
        List<DatasetIndex.Entry> matching = index.entries.stream().filter(filter).toList();
        ArrayNode records = Json.array();
        for (DatasetIndex.Entry entry : matching.subList(Math.min(offset, matching.size()), Math.min(matching.size(), offset + limit))) {
            ObjectNode json = describe(index, entry);
            json.set("record", parse(index, entry));
            records.add(json);
        }
        ObjectNode json = Json.object().put("dataset", name).put("total", matching.size()).put("offset", offset).put("limit", limit);
        json.put("next_offset", offset + records.size() < matching.size() ? offset + records.size() : null);
        json.set("records", records);
        ObjectNode facets = json.putObject("facets");
        facets.set("tools", counts(index, e -> e.tools()));
        facets.set("error_types", counts(index, e -> e.errorTypes()));
        facets.set("statuses", counts(index, e -> List.of(index.status(e))));
        if (index.entries.stream().anyMatch(e -> e.task() != null)) {
            facets.set("tasks", counts(index, e -> e.task() == null ? List.of() : List.of(e.task())));
        }
        ex.ok(json);
    }

    private static ObjectNode describe(DatasetIndex index, DatasetIndex.Entry entry) {
        ObjectNode json = Json.object().put("line", entry.line()).put("valid", entry.valid()).put("status", index.status(entry))
                .put("steps", entry.steps()).put("calls", entry.calls());
        entry.tools().stream().sorted().forEach(json.putArray("tools")::add);
        entry.errorTypes().stream().sorted().forEach(json.putArray("error_types")::add);
        if (entry.task() != null) {
            json.put("task", entry.task());
        }
        return json;
    }

    private static JsonNode parse(DatasetIndex index, DatasetIndex.Entry entry) {
        if (!entry.valid()) {
            return null;
        }
        try {
            return Json.parse(index.text(entry));
        } catch (IOException e) {
            throw new SpindleException(ErrorType.IOError, "cannot read line " + entry.line() + ": " + e.getMessage());
        }
    }

    private static ObjectNode counts(DatasetIndex index, Function<DatasetIndex.Entry, ? extends Iterable<String>> values) {
        Map<String, Integer> counts = new TreeMap<>();
        index.entries.forEach(e -> values.apply(e).forEach(v -> counts.merge(v, 1, Integer::sum)));
        return Json.MAPPER.valueToTree(counts);
    }

    /**
     * {@code GET /datasets/{name}/summary}: {@code {summary, per_sample}}: the run's {@code NAME.summary.json}
     * (null when there is none) and, counted from the records, how many samples took each number of steps and
     * of calls, and failed tool calls by error type.
     */
    void summary(Exchange ex, String name) {
        Datasets.Listed listed = datasets.find(name);
        DatasetIndex index = datasets.index(name);
        ObjectNode json = Json.object().put("dataset", name);
        json.set("summary", listed.summary() ? readSummary(listed) : null);
        ObjectNode perSample = json.putObject("per_sample");
        perSample.set("steps", histogram(index, DatasetIndex.Entry::steps));
        perSample.set("calls", histogram(index, DatasetIndex.Entry::calls));
        json.set("records_with_error", counts(index, e -> e.errorTypes()));
        ex.ok(json);
    }

    private static JsonNode readSummary(Datasets.Listed listed) {
        try {
            return Json.parse(RegularFile.read(Datasets.summaryOf(listed.file()), Datasets.MAX_SUMMARY_BYTES));
        } catch (IOException | RuntimeException unreadable) {
            return null; // a chart less, not a failed page
        }
    }

    private static ObjectNode histogram(DatasetIndex index, Function<DatasetIndex.Entry, Integer> value) {
        Map<Integer, Integer> counts = new TreeMap<>();
        index.entries.stream().filter(DatasetIndex.Entry::valid).forEach(e -> counts.merge(value.apply(e), 1, Integer::sum));
        ObjectNode json = Json.object();
        counts.forEach((k, v) -> json.put(String.valueOf(k), v));
        return json;
    }

    /** {@code POST /datasets/{name}/records/{line}/verify}: replays the record; its outcome becomes its status. */
    void verify(Exchange ex, String name, String line) {
        int number = lineNumber(line);
        DatasetIndex index = datasets.index(name);
        DatasetIndex.Entry entry = index.entry(number);
        if (entry == null) {
            throw new SpindleException(HttpError.NotFound, "Dataset '" + name + "' has no record at line " + line);
        }
        if (entry.task() != null) {
            throw Exchange.badRequest("line " + entry.line() + " is an eval attempt, graded by its task's verifier: spindle eval --rescore replays it");
        }
        if (verifier == null) {
            throw new SpindleException(ErrorType.NotAllowed, "this server cannot replay records (spindle serve can)");
        }
        JsonNode record = parse(index, entry);
        if (record == null) {
            throw Exchange.badRequest("line " + entry.line() + " is not a JSON record");
        }
        JsonNode outcome = verifier.verify(record);
        index.verified.put(entry.line(), outcome.path("status").asString());
        ObjectNode json = describe(index, entry);
        json.set("verify", outcome);
        ex.ok(json);
    }

    /** A line that is not a number is the client's mistake (400), unlike a number past the end (404, as 0 is). */
    private static int lineNumber(String line) {
        if (!line.matches("[0-9]+")) {
            throw Exchange.badRequest("line must be a record's line number (a whole number from 1), got '" + line + "'");
        }
        return line.length() > 9 ? 0 : Integer.parseInt(line);
    }
}
