package dev.spindle.client;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ErrorType;
import dev.spindle.core.FailureKind;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SnapshotInfo;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.ToolService;
import dev.spindle.core.TraceEntry;
import dev.spindle.core.wire.Wire;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link ToolService} over HTTP, against {@code spindle serve}. Tool failures come back as failed
 * {@link ToolResult}s, exactly as in-process; everything else that fails is a {@link SpindleException}
 * with the server's error type (or {@code Timeout} / {@code IOError} when the server cannot be reached).
 *
 * <p>Given several endpoints, sessions are spread over them: a session opened here lives on the next
 * reachable endpoint in turn (an unreachable one is skipped), a fork on its source's endpoint, and every
 * later call of a session goes to that endpoint; a session opened elsewhere is found by a stable hash of
 * its id. Mock operations go to every endpoint, since each instance keeps its own catalogue.
 */
public final class SpindleClient implements ToolService {
    private final List<String> endpoints;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;
    private final AtomicInteger nextEndpoint = new AtomicInteger();
    /** The endpoint of each session opened or forked through this client, until it is closed. */
    private final Map<String, String> homes = new ConcurrentHashMap<>();

    private SpindleClient(List<String> endpoints, String token, Duration timeout) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("needs at least one endpoint");
        }
        this.endpoints = endpoints.stream().map(e -> e.endsWith("/") ? e.substring(0, e.length() - 1) : e).toList();
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A client for {@code endpoint} (e.g. {@code http://localhost:3000}), no token, 30 s timeout. */
    public static SpindleClient connect(String endpoint) {
        return connect(List.of(endpoint));
    }

    /** A client spreading sessions over {@code endpoints}, no token, 30 s timeout. */
    public static SpindleClient connect(List<String> endpoints) {
        return new SpindleClient(endpoints, null, Duration.ofSeconds(30));
    }

    public SpindleClient withToken(String token) {
        return new SpindleClient(endpoints, token, timeout);
    }

    public SpindleClient withTimeout(Duration timeout) {
        return new SpindleClient(endpoints, token, timeout);
    }

    public List<String> endpoints() {
        return endpoints;
    }

    @Override
    public ToolResult execute(ToolCall call) {
        ObjectNode body = Json.object().put("session_id", call.sessionId()).put("tool", call.tool());
        body.set("args", call.arguments() == null ? Json.object() : call.arguments());
        String path = call.component() == null ? "/execute" : "/" + segment(call.component()) + "/execute";
        return Wire.fromEnvelope(send(home(call.sessionId()), "POST", path, body));
    }

    @Override
    public SessionInfo openSession(SessionSpec spec) {
        ObjectNode body = Json.object();
        if (spec.sessionId() != null) {
            body.put("session_id", spec.sessionId());
        }
        ObjectNode files = body.putObject("files");
        spec.files().forEach(files::put);
        if (spec.ttlSeconds() != null) {
            body.put("ttl_seconds", spec.ttlSeconds());
        }
        if (spec.seed() != null) {
            body.put("seed", spec.seed());
        }
        return reachable(nextEndpoint.getAndIncrement(), endpoint -> {
            SessionInfo opened = Wire.session(send(endpoint, "POST", "/sessions", body));
            homes.put(opened.sessionId(), endpoint);
            return opened;
        });
    }

    /** The first answer from the endpoints in turn from {@code first}, skipping those that cannot be reached. */
    private <T> T reachable(int first, Function<String, T> call) {
        SpindleException unreachable = null;
        for (int i = 0; i < endpoints.size(); i++) {
            try {
                return call.apply(endpoints.get(Math.floorMod(first + i, endpoints.size())));
            } catch (SpindleException e) {
                if (e.type() != ErrorType.IOError) {
                    throw e;
                }
                unreachable = e;
            }
        }
        throw unreachable;
    }

    @Override
    public SessionInfo forkSession(String sourceId, String newId) {
        ObjectNode body = Json.object();
        if (newId != null) {
            body.put("session_id", newId);
        }
        String endpoint = home(sourceId);
        SessionInfo forked = Wire.session(send(endpoint, "POST", "/sessions/" + segment(sourceId) + "/fork", body));
        homes.put(forked.sessionId(), endpoint);
        return forked;
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        try {
            return Optional.of(Wire.session(send(home(sessionId), "GET", "/sessions/" + segment(sessionId), null)));
        } catch (SpindleException e) {
            if (e.type() == HttpError.UnknownSession) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Map<String, String> exportFiles(String sessionId) {
        Map<String, String> files = new LinkedHashMap<>();
        send(home(sessionId), "GET", "/sessions/" + segment(sessionId) + "/files", null).path("files").properties()
                .forEach(e -> files.put(e.getKey(), e.getValue().asString()));
        return files;
    }

    @Override
    public List<TraceEntry> trace(String sessionId) {
        return Wire.trace(send(home(sessionId), "GET", "/sessions/" + segment(sessionId) + "/trace", null));
    }

    @Override
    public int closeSession(String sessionId) {
        try {
            return send(home(sessionId), "DELETE", "/session/" + segment(sessionId), null).path("deleted_files").asInt();
        } finally {
            homes.remove(sessionId);
        }
    }

    @Override
    public List<ComponentInfo> components() {
        return reachable(0, endpoint -> Wire.components(send(endpoint, "GET", "/components", null)));
    }

    /**
     * DeepFabric's path mode: the call POSTed to one route ({@code tool_execute_path}) as
     * {@code {name, arguments, session_id}}. A non-2xx answer is the tool's failure, with the server's
     * {@code error_type} or else {@code HTTPError}; so is a timeout, as DeepFabric's client reports it.
     */
    public ToolResult executeAt(String path, ToolCall call) {
        ObjectNode body = Json.object().put("name", call.tool()).put("session_id", call.sessionId());
        body.set("arguments", call.arguments() == null ? Json.object() : call.arguments());
        Answer answer;
        try {
            answer = exchange(home(call.sessionId()), "POST", path, body);
        } catch (SpindleException e) {
            if (e.type() == ErrorType.Timeout) {
                return ToolResult.failure(ErrorType.Timeout, "Tool execution timed out");
            }
            throw e;
        }
        JsonNode json = answer.json();
        if (answer.status() < 300) {
            return json.has("result") ? ToolResult.ok(json.get("result")) : Wire.fromEnvelope(json);
        }
        FailureKind type = Wire.errorType(json.path("error_type").asString(null));
        return ToolResult.failure(type == null ? ClientError.HTTPError : type, json.path("error").asString("HTTP " + answer.status()));
    }

    /** The ids of the tasks the server offers ({@code serve --tasks}): {@code GET /tasks}. */
    public List<String> taskIds() {
        List<String> ids = new ArrayList<>();
        send(endpoints.getFirst(), "GET", "/tasks", null).path("tasks").forEach(task -> ids.add(task.path("id").asString()));
        return ids;
    }

    /** One task as its agents see it ({@code id, instruction, max_steps, tools, verifier}): {@code GET /tasks/{id}}. */
    public JsonNode task(String id) {
        return send(endpoints.getFirst(), "GET", "/tasks/" + segment(id), null);
    }

    /** A session in the task's starting state, drawing from {@code seed} (null for none): {@code POST /tasks/{id}/sessions}. */
    public SessionInfo openTaskSession(String task, Long seed) {
        ObjectNode body = Json.object();
        if (seed != null) {
            body.put("seed", seed);
        }
        String endpoint = endpoints.getFirst();
        SessionInfo opened = Wire.session(send(endpoint, "POST", "/tasks/" + segment(task) + "/sessions", body));
        homes.put(opened.sessionId(), endpoint);
        return opened;
    }

    /** One call as the task offers it (its tools only, under its names): {@code POST /sessions/{id}/call}. */
    public ToolResult callInTask(String sessionId, String task, String tool, JsonNode arguments) {
        ObjectNode body = Json.object().put("task", task).put("tool", tool);
        body.set("args", arguments == null ? Json.object() : arguments);
        return Wire.fromEnvelope(send(home(sessionId), "POST", "/sessions/" + segment(sessionId) + "/call", body));
    }

    /** The task's verdict on the session's state ({@code reward, solved, checks}): {@code POST /sessions/{id}/verify}. */
    public JsonNode verifyTask(String sessionId, String task, Long seed) {
        ObjectNode body = Json.object().put("task", task);
        if (seed != null) {
            body.put("seed", seed);
        }
        return send(home(sessionId), "POST", "/sessions/" + segment(sessionId) + "/verify", body);
    }

    /** Freezes the session as a snapshot on its server: {@code POST /sessions/{id}/snapshot}. */
    public SnapshotInfo snapshot(String sessionId) {
        return snapshotInfo(send(home(sessionId), "POST", "/sessions/" + segment(sessionId) + "/snapshot", Json.object()));
    }

    /** The snapshot's archive, byte for byte as the server keeps it (its digest holds). */
    public byte[] snapshotArchive(String snapshotId) {
        String path = "/snapshots/" + segment(snapshotId);
        return ok(exchange(endpoints.getFirst(), "GET", path, (byte[]) null), "GET", path).bytes();
    }

    /** Uploads an archive as a new snapshot: {@code POST /snapshots}. */
    public SnapshotInfo importSnapshot(byte[] archive) {
        return snapshotInfo(ok(exchange(endpoints.getFirst(), "POST", "/snapshots", archive), "POST", "/snapshots").json());
    }

    /** A new session copied from the snapshot: {@code POST /sessions {from: {snapshot}, session_id?, seed?}}. */
    public SessionInfo restoreSnapshot(String snapshotId, String newId, Long seed) {
        ObjectNode body = Json.object();
        body.putObject("from").put("snapshot", snapshotId);
        if (newId != null) {
            body.put("session_id", newId);
        }
        if (seed != null) {
            body.put("seed", seed);
        }
        String endpoint = endpoints.getFirst();
        SessionInfo restored = Wire.session(send(endpoint, "POST", "/sessions", body));
        homes.put(restored.sessionId(), endpoint);
        return restored;
    }

    private static SnapshotInfo snapshotInfo(JsonNode json) {
        return new SnapshotInfo(json.path("snapshot_id").asString(), json.path("digest").asString(), json.path("bytes").asLong());
    }

    /** A component's own operation, e.g. {@code operate("mock", "load-schema", schema)}, on every endpoint; the first one's answer. */
    @Override
    public JsonNode operate(String component, String operation, JsonNode body) {
        JsonNode first = null;
        for (String endpoint : endpoints) {
            JsonNode answer = send(endpoint, "POST", "/" + segment(component) + "/" + segment(operation), body);
            first = first == null ? answer : first;
        }
        return first;
    }

    @Override
    public void close() {
        http.close();
    }

    /** Where a session lives: where it was opened or forked through this client, else by a stable hash of its id. */
    private String home(String sessionId) {
        if (sessionId == null) {
            return endpoints.getFirst();
        }
        String known = homes.get(sessionId);
        return known != null ? known : endpoints.get(Math.floorMod(sessionId.hashCode(), endpoints.size()));
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The answer, or a {@link SpindleException} with the server's error type when it is not 2xx. */
    private JsonNode send(String endpoint, String method, String path, JsonNode body) {
        return ok(exchange(endpoint, method, path, body), method, path).json();
    }

    private static Answer ok(Answer answer, String method, String path) {
        if (answer.status() >= 300) {
            FailureKind type = Wire.errorType(answer.json().path("error_type").asString(null));
            throw new SpindleException(type == null ? ErrorType.IOError : type,
                    answer.json().path("error").asString("HTTP " + answer.status() + " from " + method + " " + path));
        }
        return answer;
    }

    private record Answer(int status, JsonNode json, byte[] bytes) {}

    private Answer exchange(String endpoint, String method, String path, JsonNode body) {
        return exchange(endpoint, method, path, body == null ? null : Json.writeBytes(body));
    }

    /**
     * One request with a JSON body; only failing to get an answer at all throws. A non-JSON error body
     * reads as {@code {}}; the answer's bytes are kept as they came.
     */
    private Answer exchange(String endpoint, String method, String path, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("accept", "application/json");
        if (body != null) {
            request.header("content-type", "application/json");
        }
        if (token != null) {
            request.header("authorization", "Bearer " + token);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new SpindleException(ErrorType.Timeout, method + " " + path + " timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new SpindleException(ErrorType.IOError, "Cannot reach Spindle at " + endpoint + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + " (is spindle serve running there?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpindleException(ErrorType.IOError, "Interrupted while calling " + endpoint);
        }
        if (response.body().length == 0) {
            return new Answer(response.statusCode(), Json.object(), response.body());
        }
        try {
            return new Answer(response.statusCode(), Json.parse(response.body()), response.body());
        } catch (RuntimeException notJson) {
            if (response.statusCode() < 300) {
                throw new SpindleException(ErrorType.IOError, method + " " + path + " answered " + response.statusCode() + " without JSON");
            }
            return new Answer(response.statusCode(), Json.object(), response.body());
        }
    }
}
