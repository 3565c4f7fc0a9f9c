package dev.spindle.mock;

import dev.spindle.core.ComponentHost;
import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.runtime.ArgumentValidator;
import dev.spindle.core.store.KeyValueScope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The mock's tools as the store keeps them: one record per tool in the global partition, and per-session
 * overlays of responses. Every change to the records is written and then read back into the cached view
 * under one lock, so writers never interleave and the view always shows every finished write; callers
 * read the view as an immutable snapshot, without locking. Overlays change no view and take no lock (the
 * store's write is atomic). Templates that could never be answered within the response limit are refused
 * here, before anything is written.
 *
 * <p>Instances sharing one store share the catalogue: every change bumps a version beside the records,
 * and the view reads the records again when it finds the version moved (it asks every {@value #RECHECK_MILLIS}
 * ms, on a background thread of the runtime: the view is read on event loops, which must never wait for the
 * store), so a schema loaded through one instance is served by all within a second.
 */
final class MockCatalogue {
    static final long RECHECK_MILLIS = 250;
    private static final String VERSION_KEY = "n";
    private final long maxResponseChars;
    private final Scripts scripts;
    private final Object lock = new Object();
    /** Set once by {@link #attach}, before any call. */
    private volatile ComponentHost host;
    /** The tools in listing order; replaced whole under {@link #lock}, read without it. */
    private volatile Map<String, MockTool> view = Map.of();
    /** The version the view was read at. */
    private volatile long viewVersion;

    MockCatalogue(long maxResponseChars, Scripts scripts) {
        this.maxResponseChars = maxResponseChars;
        this.scripts = scripts;
    }

    /** Opens the catalogue kept in {@code host}'s store (it may survive a restart), and keeps it in step with other instances'. */
    void attach(ComponentHost host) {
        this.host = host;
        synchronized (lock) {
            refresh();
        }
        host.every(Duration.ofMillis(RECHECK_MILLIS), this::recheck);
    }

    /** Reads the records again when another instance changed them. */
    private void recheck() {
        if (storedVersion() != viewVersion) {
            synchronized (lock) {
                refresh();
            }
        }
    }

    /**
     * The tools in listing order, as of the last finished change (on another instance, as of about
     * {@value #RECHECK_MILLIS} ms ago); later changes leave this map as it is. Never waits for the store.
     */
    Map<String, MockTool> tools() {
        return view;
    }

    /** Under {@link #lock}: the version, then the records (a change in between shows as a newer version). */
    private void refresh() {
        viewVersion = storedVersion();
        view = read();
    }

    private KeyValueScope versionScope() {
        return host.global().companion("version");
    }

    private long storedVersion() {
        byte[] version = versionScope().get(VERSION_KEY);
        return version == null ? 0 : Long.parseLong(new String(version, StandardCharsets.US_ASCII));
    }

    /**
     * Adds or reloads MCP tool definitions (new tools go last). A reloaded tool keeps its place, and its
     * responses unless {@code replace} or the definition brings its own. All or nothing: a definition that
     * does not parse, a schema or handler that does not compile or a template over the limit refuses the
     * whole list.
     *
     * @return the names loaded, in the given order
     */
    List<String> load(List<? extends JsonNode> definitions, boolean replace) {
        List<MockRecord> incoming = new ArrayList<>();
        for (int i = 0; i < definitions.size(); i++) {
            MockRecord record = MockRecord.parse(definitions.get(i), i, 0);
            ArgumentValidator.compile(record.definition());
            checkTemplates(record.name(), record.responses());
            incoming.add(record);
        }
        writeRecords(data -> {
            long next = data.entries().values().stream().mapToLong(b -> MockRecord.fromBytes(b).order()).max().orElse(0);
            for (MockRecord record : incoming) {
                byte[] stored = data.get(record.name());
                MockRecord merged = stored == null
                        ? new MockRecord(record.name(), record.description(), record.inputSchema(), record.annotations(), record.responses(), ++next)
                        : MockRecord.fromBytes(stored).reloadedAs(record, replace);
                data.put(record.name(), merged.bytes());
            }
            return null;
        });
        return incoming.stream().map(MockRecord::name).toList();
    }

    /**
     * Merges responses into named tools ({@link Responses#merge}), in one write: into the session's overlays
     * when {@code session} is given, else into the catalogue. Every tool must be listed.
     *
     * @return each tool's responses after the change, in that scope
     */
    Map<String, Responses> addResponses(String session, Map<String, Responses> added) {
        added.forEach(this::checkTemplates);
        added.keySet().forEach(this::require);
        Function<KeyValueScope.Data, Map<String, Responses>> merge = data -> {
            Map<String, Responses> updated = new LinkedHashMap<>();
            added.forEach((name, responses) -> {
                // The catalogue keeps responses inside the tool's record; an overlay is the responses alone.
                MockRecord record = session == null ? stored(data, name) : null;
                Responses merged = (record == null ? Responses.parse(data.get(name)) : record.responses()).merge(responses);
                data.put(name, record == null ? merged.bytes() : record.withResponses(merged).bytes());
                updated.put(name, merged);
            });
            return updated;
        };
        return session == null ? writeRecords(merge) : host.session(session).write(merge);
    }

    /** Empties the catalogue, or with a session only that session's overlays. */
    void clear(String session) {
        Function<KeyValueScope.Data, Void> deleteAll = data -> {
            data.entries().keySet().forEach(data::delete);
            return null;
        };
        if (session == null) {
            writeRecords(deleteAll);
        } else {
            host.session(session).write(deleteAll);
        }
    }

    /** Refuses a tool the view does not list, before anything is written; {@link #stored} checks again inside the write. */
    private void require(String name) {
        if (view.isEmpty()) {
            throw new SpindleException(ErrorType.InvalidRequest, "No tools loaded. POST a schema to /mock/load-schema first");
        }
        if (!view.containsKey(name)) {
            throw new SpindleException(HttpError.NotFound, "Tool not found: " + name);
        }
    }

    /** One atomic write of the records, then the view read back, with no other change in between. */
    private <T> T writeRecords(Function<KeyValueScope.Data, T> work) {
        synchronized (lock) {
            T result = host.global().write(work);
            versionScope().write(data -> {
                byte[] version = data.get(VERSION_KEY);
                long next = (version == null ? 0 : Long.parseLong(new String(version, StandardCharsets.US_ASCII))) + 1;
                data.put(VERSION_KEY, Long.toString(next).getBytes(StandardCharsets.US_ASCII));
                return null;
            });
            refresh();
            return result;
        }
    }

    /** The records in listing order; unchanged tools keep their object (nothing to parse again). */
    private Map<String, MockTool> read() {
        List<MockRecord> records = new ArrayList<>();
        host.global().entries().values().forEach(bytes -> records.add(MockRecord.fromBytes(bytes)));
        records.sort((a, b) -> Long.compare(a.order(), b.order()));
        Map<String, MockTool> fresh = new LinkedHashMap<>();
        for (MockRecord record : records) {
            MockTool existing = view.get(record.name());
            fresh.put(record.name(), existing != null && existing.record().equals(record) ? existing : new MockTool(record, maxResponseChars, scripts));
        }
        return Collections.unmodifiableMap(fresh);
    }

    /** The tool's record inside a write; a concurrent clear may have removed it since {@link #require}. */
    private static MockRecord stored(KeyValueScope.Data data, String name) {
        byte[] bytes = data.get(name);
        if (bytes == null) {
            throw new SpindleException(HttpError.NotFound, "Tool not found: " + name + " (the catalogue was just cleared)");
        }
        return MockRecord.fromBytes(bytes);
    }

    private void checkTemplates(String tool, Responses responses) {
        if (responses.handler() != null) {
            scripts.check(tool, responses.handler());
        }
        checkTemplate(tool, responses.mockResponse());
        responses.fixtures().forEach(f -> checkTemplate(tool, f.response()));
    }

    /** A template that could never be answered within the response limit is refused when stored. */
    private void checkTemplate(String tool, JsonNode template) {
        long size = template == null ? 0 : Json.write(template).length();
        if (size > maxResponseChars) {
            throw new SpindleException(ErrorType.InvalidArguments, "A response template of " + tool + " is " + size
                    + " characters of JSON; the server's mock response limit is " + maxResponseChars);
        }
    }
}
