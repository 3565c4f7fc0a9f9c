package dev.spindle.core.runtime;

import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SnapshotInfo;
import dev.spindle.core.SpindleException;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.files.PathPolicy;
import dev.spindle.core.files.Quotas;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import dev.spindle.core.store.KeyValueStore;
import dev.spindle.core.store.SessionData;
import dev.spindle.core.store.Usage;
import dev.spindle.core.wire.Wire;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Frozen copies of sessions, and their portable archive (docs/snapshots.md). A snapshot is a partition
 * of the store named {@value #PREFIX}{@code <id>} (no session id can start with NUL): the session's data
 * copied at one instant, plus a manifest (seed, TTL, source, time, the trace) in its own namespace. It
 * lives until deleted, so the {@link SnapshotLedger} bounds how many there are and the bytes they take.
 * Restoring copies the partition to a new session, as a fork does.
 *
 * <p>The archive is one JSON document: {@code {format, version, created_at, source_session, session:
 * {seed?, ttl_seconds}, trace: [calls], data: {namespace: {key: base64}}}}, written in a fixed order so
 * that the same snapshot always gives the same bytes (and digest); it is streamed from the store, one
 * value at a time, never built whole to learn its digest. An uploaded archive is checked as a seed is:
 * paths through the path policy, the tree and the quotas as seeding checks them, only the namespaces a
 * session holds. Taking, uploading and restoring all hold a snapshot to the same bounds ({@link #checkRoom}):
 * no namespace holds more entries or bytes than the session quotas allow.
 */
final class Snapshots {
    static final String PREFIX = "\u0000snapshot:";
    static final String FORMAT = "spindle-snapshot";
    static final int VERSION = 1;
    private static final String MANIFEST_NS = "\u0000snapshot";
    private static final String MANIFEST_KEY = "manifest";
    /** The session's own bookkeeping: rebuilt on restore, never carried in an archive. */
    private static final Set<String> BOOKKEEPING = Set.of(SessionMeta.NAMESPACE, StoredTrace.NS, MANIFEST_NS, SessionFiles.REVISION);

    /** What a snapshot knows of its session besides the data. */
    record Manifest(String createdAt, String source, Long seed, long ttlSeconds, List<TraceEntry> trace) {
        ObjectNode toJson() {
            ObjectNode json = Json.object().put("created_at", createdAt).put("source_session", source);
            ObjectNode session = json.putObject("session");
            if (seed != null) {
                session.put("seed", seed);
            }
            session.put("ttl_seconds", ttlSeconds);
            ArrayNode calls = json.putArray("trace");
            trace.forEach(call -> calls.add(Wire.traceEntry(call)));
            return json;
        }
    }

    private final KeyValueStore store;
    private final PathPolicy pathPolicy;
    private final Quotas quotas;
    private final Set<String> components;
    private final int traceLimit;
    private final SnapshotLedger ledger;

    Snapshots(KeyValueStore store, PathPolicy pathPolicy, Quotas quotas, Set<String> components, int traceLimit, SnapshotLedger ledger) {
        this.store = store;
        this.pathPolicy = pathPolicy;
        this.quotas = quotas;
        this.components = components;
        this.traceLimit = traceLimit;
        this.ledger = ledger;
    }

    static String partition(String snapshotId) {
        return PREFIX + snapshotId;
    }

    /**
     * Copies the session's data to the snapshot and adds its manifest (the caller keeps calls out meanwhile),
     * once the ledger made room for it; {@code QuotaExceeded} past the bounds, nothing stored.
     */
    void freeze(String sessionId, String snapshotId, Manifest manifest) {
        Map<String, NavigableMap<String, Integer>> sizes = store.read(sessionId, Snapshots::sizes);
        checkRoom(usage(sizes), "the session");
        byte[] manifestBytes = Json.writeBytes(manifest.toJson());
        store(snapshotId, footprint(sizes, manifestBytes), () -> {
            store.copySession(sessionId, partition(snapshotId));
            store.write(partition(snapshotId), data -> {
                data.put(MANIFEST_NS, MANIFEST_KEY, manifestBytes);
                return null;
            });
        });
    }

    /** Enters the snapshot in the ledger, then writes it; a failed write leaves neither behind. */
    private void store(String snapshotId, long bytes, Runnable write) {
        ledger.reserve(snapshotId, bytes);
        try {
            write.run();
        } catch (RuntimeException | Error e) {
            try {
                store.deleteSession(partition(snapshotId));
                ledger.release(snapshotId);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup); // the ledger mends itself at the next start (SnapshotLedger.reconcile)
            }
            throw e;
        }
    }

    /** Enters stored snapshots the ledger does not list, and drops entries of unfinished ones (at start). */
    void reconcile() {
        Set<String> stored = new HashSet<>();
        store.sessions().stream().filter(id -> id.startsWith(PREFIX)).forEach(id -> stored.add(id.substring(PREFIX.length())));
        ledger.reconcile(stored, id -> footprint(store.read(partition(id), Snapshots::sizes), new byte[0]), System.currentTimeMillis());
    }

    /** Every namespace of a partition with the sizes of its values. */
    private static Map<String, NavigableMap<String, Integer>> sizes(SessionData data) {
        List<String> namespaces = List.copyOf(data.namespaces());
        List<NavigableMap<String, Integer>> sizes = data.sizes(namespaces);
        Map<String, NavigableMap<String, Integer>> byNamespace = new TreeMap<>();
        for (int i = 0; i < namespaces.size(); i++) {
            byNamespace.put(namespaces.get(i), sizes.get(i));
        }
        return byNamespace;
    }

    private static Map<String, Usage> usage(Map<String, NavigableMap<String, Integer>> sizes) {
        Map<String, Usage> usage = new TreeMap<>();
        sizes.forEach((namespace, values) -> usage.put(namespace, Usage.of(values)));
        return usage;
    }

    /** What a partition takes in the store, about: its names, keys and values, and the manifest to add. */
    private static long footprint(Map<String, NavigableMap<String, Integer>> sizes, byte[] manifest) {
        long bytes = MANIFEST_NS.length() + MANIFEST_KEY.length() + manifest.length;
        for (var namespace : sizes.entrySet()) {
            bytes += namespace.getKey().length();
            for (var value : namespace.getValue().entrySet()) {
                bytes += value.getKey().length() + value.getValue();
            }
        }
        return bytes;
    }

    /**
     * A snapshot holds only what a session may: files and directories within the session's quotas, and no
     * other namespace (a component's state) with more entries or bytes than those quotas allow a session.
     * The session's own bookkeeping is left out: the runtime bounds it itself.
     */
    private void checkRoom(Map<String, Usage> usage, String what) {
        Usage files = usage.getOrDefault(SessionFiles.FILES, Usage.NONE);
        long tree = files.entries() + (long) usage.getOrDefault(SessionFiles.DIRS, Usage.NONE).entries();
        if (tree > quotas.maxEntries() || files.bytes() > quotas.maxTotalBytes()) {
            throw new SpindleException(ErrorType.QuotaExceeded, what + " holds " + tree + " files and directories and " + files.bytes()
                    + " bytes of files; a session may hold " + quotas.maxEntries() + " and " + quotas.maxTotalBytes());
        }
        usage.forEach((namespace, used) -> {
            boolean state = !namespace.equals(SessionFiles.FILES) && !namespace.equals(SessionFiles.DIRS) && !BOOKKEEPING.contains(namespace);
            if (state && (used.entries() > quotas.maxEntries() || used.bytes() > quotas.maxTotalBytes())) {
                throw new SpindleException(ErrorType.QuotaExceeded, what + " holds " + used.entries() + " entries and " + used.bytes()
                        + " bytes in " + Json.write(StringNode.valueOf(namespace)) + "; a session may hold " + quotas.maxEntries()
                        + " and " + quotas.maxTotalBytes() + " in each");
            }
        });
    }

    /** Refuses to restore a snapshot holding more than a session may now (one stored before these checks, or under larger quotas). */
    void checkRestorable(String snapshotId) {
        checkRoom(usage(store.read(partition(snapshotId), Snapshots::sizes)), "the snapshot");
    }

    Manifest manifest(String snapshotId) {
        byte[] stored = store.read(partition(snapshotId), data -> data.get(MANIFEST_NS, MANIFEST_KEY));
        if (stored == null) {
            throw unknown(snapshotId);
        }
        return readManifest(Json.parse(stored));
    }

    /** Makes the new session's partition a copy of the snapshot's, without the snapshot's manifest. */
    void copyTo(String snapshotId, String sessionId) {
        store.copySession(partition(snapshotId), sessionId);
        store.write(sessionId, data -> {
            data.delete(MANIFEST_NS, MANIFEST_KEY);
            return null;
        });
    }

    /** Its digest and size, streamed through the digest: the archive is never held whole. */
    SnapshotInfo info(String snapshotId) {
        MessageDigest sha256 = sha256();
        CountingOutputStream counted = new CountingOutputStream(new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
        writeArchive(snapshotId, counted);
        return new SnapshotInfo(snapshotId, "sha256:" + HexFormat.of().formatHex(sha256.digest()), counted.count);
    }

    /** The portable archive: the same bytes every time for the same snapshot. */
    byte[] archive(String snapshotId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeArchive(snapshotId, out);
        return out.toByteArray();
    }

    /** The most bytes of a namespace's values an archive reads at once. */
    private static final long MAX_BULK_READ_BYTES = 1 << 20;

    /**
     * Writes the archive, value by value: a namespace past {@value #MAX_BULK_READ_BYTES} bytes
     * is read one value at a time, so that only one file is in memory at once (a snapshot does not change).
     */
    private void writeArchive(String snapshotId, OutputStream out) {
        store.read(partition(snapshotId), data -> {
            byte[] manifest = data.get(MANIFEST_NS, MANIFEST_KEY);
            if (manifest == null) {
                throw unknown(snapshotId);
            }
            try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
                json.writeStartObject();
                json.writeStringProperty("format", FORMAT);
                json.writeNumberProperty("version", VERSION);
                for (var field : Json.parse(manifest).properties()) {
                    json.writeName(field.getKey());
                    json.writeTree(field.getValue());
                }
                json.writeName("data");
                json.writeStartObject();
                for (String namespace : data.namespaces()) {
                    if (!BOOKKEEPING.contains(namespace)) {
                        json.writeName(namespace);
                        writeNamespace(snapshotId, data, namespace, json);
                    }
                }
                json.writeEndObject();
                json.writeEndObject();
            }
            return null;
        });
    }

    private static void writeNamespace(String snapshotId, SessionData data, String namespace, JsonGenerator json) {
        NavigableMap<String, Integer> sizes = data.sizes(namespace);
        boolean small = Usage.of(sizes).bytes() <= MAX_BULK_READ_BYTES;
        NavigableMap<String, byte[]> entries = small ? data.entries(namespace) : null;
        json.writeStartObject();
        for (String key : sizes.keySet()) {
            byte[] value = small ? entries.get(key) : data.get(namespace, key);
            if (value == null) {
                throw unknown(snapshotId); // deleted while it was being read
            }
            json.writeName(key);
            json.writeBinary(value);
        }
        json.writeEndObject();
    }

    /** Counts what passes through, for the archive's size. */
    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Checks an uploaded archive and stores it as a new snapshot; nothing is stored when a check fails. */
    SnapshotInfo upload(byte[] archive, String snapshotId) {
        JsonNode json;
        try {
            json = Json.parse(archive);
        } catch (SpindleException e) {
            throw invalid("not a snapshot archive: " + e.getMessage());
        }
        if (!json.isObject() || !FORMAT.equals(json.path("format").asString(null))) {
            throw invalid("not a Spindle snapshot archive: \"format\" must be \"" + FORMAT + "\"");
        }
        if (json.path("version").asInt(-1) != VERSION || !json.path("version").isIntegralNumber()) {
            throw invalid("snapshot archive version " + json.path("version") + " is not supported; this server reads version " + VERSION);
        }
        Manifest manifest = readManifest(json);
        Map<String, Map<String, byte[]>> data = readData(json.path("data"));
        byte[] manifestBytes = Json.writeBytes(manifest.toJson());
        Map<String, NavigableMap<String, Integer>> sizes = new TreeMap<>();
        data.forEach((namespace, entries) -> {
            NavigableMap<String, Integer> values = new TreeMap<>();
            entries.forEach((key, value) -> values.put(key, value.length));
            sizes.put(namespace, values);
        });
        store(snapshotId, footprint(sizes, manifestBytes), () -> store.write(partition(snapshotId), stored -> {
            data.forEach((namespace, entries) -> entries.forEach((key, value) -> stored.put(namespace, key, value)));
            stored.put(MANIFEST_NS, MANIFEST_KEY, manifestBytes);
            return null;
        }));
        return info(snapshotId);
    }

    /** Answers whether there was such a snapshot. Its data goes first, then its entry in the ledger. */
    boolean delete(String snapshotId) {
        boolean existed = !store.deleteSession(partition(snapshotId)).isEmpty();
        ledger.release(snapshotId);
        return existed;
    }

    private Manifest readManifest(JsonNode json) {
        JsonNode session = json.path("session");
        JsonNode seed = session.path("seed");
        if (!seed.isMissingNode() && !seed.isNull() && !(seed.isIntegralNumber() && seed.canConvertToLong() && seed.asLong() >= 0)) {
            throw invalid("session.seed must be a whole number from 0 to " + Long.MAX_VALUE);
        }
        long ttl = session.path("ttl_seconds").asLong(0);
        if (!session.path("ttl_seconds").isIntegralNumber() || ttl <= 0 || ttl > 2_592_000) {
            throw invalid("session.ttl_seconds must be a whole number from 1 to 2592000 (30 days)");
        }
        if (!json.path("created_at").isString() || !json.path("trace").isArray()) {
            throw invalid("created_at (a time) and trace (a list of calls) are required");
        }
        if (json.path("trace").size() > traceLimit) {
            throw new SpindleException(ErrorType.QuotaExceeded, "the trace holds " + json.path("trace").size()
                    + " calls; this server keeps " + traceLimit + " per session");
        }
        List<TraceEntry> trace = new ArrayList<>();
        for (JsonNode call : json.path("trace")) {
            trace.add(traceEntry(call, trace.size()));
        }
        return new Manifest(json.path("created_at").asString(), json.path("source_session").asString(null),
                seed.isIntegralNumber() ? seed.asLong() : null, ttl, trace);
    }

    private static TraceEntry traceEntry(JsonNode call, int index) {
        try {
            if (!call.isObject() || !call.path("tool").isString() || !call.path("result").isString()) {
                throw new IllegalArgumentException("tool and result must be strings");
            }
            return Wire.traceEntry(call);
        } catch (RuntimeException e) {
            throw invalid("trace[" + index + "] is not a call as GET /sessions/{id}/trace lists them");
        }
    }

    /**
     * The namespaces a session holds, each checked: file and directory paths by the path policy, the tree
     * and the file quotas as seeding checks them, every namespace by {@link #checkRoom}.
     */
    private Map<String, Map<String, byte[]>> readData(JsonNode given) {
        if (!given.isObject()) {
            throw invalid("data must be an object of namespaces");
        }
        Map<String, Map<String, byte[]>> data = new LinkedHashMap<>();
        Map<String, Usage> usage = new TreeMap<>();
        Map<VPath, byte[]> files = new LinkedHashMap<>();
        List<VPath> directories = new ArrayList<>();
        for (var namespace : given.properties()) {
            String name = namespace.getKey();
            if (!allowed(name)) {
                throw invalid("namespace " + Json.write(StringNode.valueOf(name)) + " is not one a session holds here (files, dirs, or a component's state: "
                        + String.join(", ", components) + ")");
            }
            if (!namespace.getValue().isObject()) {
                throw invalid("data." + name + " must be an object of keys to base64 values");
            }
            Map<String, byte[]> values = new LinkedHashMap<>();
            long bytes = 0;
            for (var entry : namespace.getValue().properties()) {
                byte[] value = decode(name, entry.getKey(), entry.getValue());
                VPath path = path(name, entry.getKey());
                if (name.equals(SessionFiles.FILES)) {
                    files.put(path, value);
                } else if (name.equals(SessionFiles.DIRS)) {
                    directories.add(path);
                }
                bytes += value.length;
                values.put(entry.getKey(), value);
            }
            usage.put(name, new Usage(values.size(), bytes));
            data.put(name, values);
        }
        checkRoom(usage, "the archive");
        try {
            SessionFiles.checkTree(files, directories, quotas);
        } catch (SpindleException e) {
            throw e.type() == ErrorType.QuotaExceeded ? e : invalid("its files and directories contradict each other: " + e.getMessage());
        }
        return data;
    }

    private boolean allowed(String namespace) {
        if (namespace.equals(SessionFiles.FILES) || namespace.equals(SessionFiles.DIRS) || namespace.equals(SessionFiles.MODES)) {
            return true;
        }
        for (String component : components) {
            String own = "state:" + component;
            if (namespace.equals(own) || namespace.startsWith(own + "\u0000")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A file, mode or directory key as the path policy gives it (null in other namespaces); it must be in
     * that canonical form.
     */
    private VPath path(String namespace, String key) {
        boolean file = namespace.equals(SessionFiles.FILES) || namespace.equals(SessionFiles.MODES);
        if (!file && !namespace.equals(SessionFiles.DIRS)) {
            return null;
        }
        VPath path = file ? pathPolicy.file(key) : pathPolicy.directory(key);
        if (!path.key().equals(key) || key.isEmpty()) {
            throw invalid("path '" + key + "' in data." + namespace + " is not in canonical form ('" + path.key() + "')");
        }
        return path;
    }

    private static byte[] decode(String namespace, String key, JsonNode value) {
        try {
            if (!value.isString()) {
                throw new IllegalArgumentException();
            }
            return Base64.getDecoder().decode(value.stringValue());
        } catch (IllegalArgumentException e) {
            throw invalid("data." + namespace + "." + key + " is not base64");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static SpindleException unknown(String snapshotId) {
        return new SpindleException(HttpError.NotFound, "Snapshot '" + snapshotId + "' does not exist (it may have been deleted)");
    }

    private static SpindleException invalid(String message) {
        return new SpindleException(ErrorType.InvalidRequest, "Snapshot archive refused: " + message);
    }
}
