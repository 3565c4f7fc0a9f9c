package dev.spindle.client;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.ErrorType;
import dev.spindle.core.FailureKind;
import dev.spindle.core.HttpError;
import dev.spindle.core.Json;
import dev.spindle.core.SessionInfo;
import dev.spindle.core.SessionSpec;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link ToolService} over HTTP, against {@code spindle serve}. Tool failures come back as failed
 * {@link ToolResult}s, exactly as in-process; everything else that fails is a {@link SpindleException}
 * with the server's error type (or {@code Timeout} / {@code IOError} when the server cannot be reached).
 */
public final class SpindleClient implements ToolService {
    private final String endpoint;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    private SpindleClient(String endpoint, String token, Duration timeout) {
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A client for {@code endpoint} (e.g. {@code http://localhost:3000}), no token, 30 s timeout. */
    public static SpindleClient connect(String endpoint) {
        return new SpindleClient(endpoint, null, Duration.ofSeconds(30));
    }

    public SpindleClient withToken(String token) {
        return new SpindleClient(endpoint, token, timeout);
    }

    public SpindleClient withTimeout(Duration timeout) {
        return new SpindleClient(endpoint, token, timeout);
    }

    @Override
    public ToolResult execute(ToolCall call) {
        ObjectNode body = Json.object().put("session_id", call.sessionId()).put("tool", call.tool());
        body.set("args", call.arguments() == null ? Json.object() : call.arguments());
        String path = call.component() == null ? "/execute" : "/" + segment(call.component()) + "/execute";
        return Wire.fromEnvelope(send("POST", path, body));
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
        return Wire.session(send("POST", "/sessions", body));
    }

    @Override
    public SessionInfo forkSession(String sourceId, String newId) {
        ObjectNode body = Json.object();
        if (newId != null) {
            body.put("session_id", newId);
        }
        return Wire.session(send("POST", "/sessions/" + segment(sourceId) + "/fork", body));
    }

    @Override
    public Optional<SessionInfo> session(String sessionId) {
        try {
            return Optional.of(Wire.session(send("GET", "/sessions/" + segment(sessionId), null)));
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
        send("GET", "/sessions/" + segment(sessionId) + "/files", null).path("files").properties()
                .forEach(e -> files.put(e.getKey(), e.getValue().asString()));
        return files;
    }

    @Override
    public List<TraceEntry> trace(String sessionId) {
        return Wire.trace(send("GET", "/sessions/" + segment(sessionId) + "/trace", null));
    }

    @Override
    public int closeSession(String sessionId) {
        return send("DELETE", "/session/" + segment(sessionId), null).path("deleted_files").asInt();
    }

    @Override
    public List<ComponentInfo> components() {
        return Wire.components(send("GET", "/components", null));
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
            answer = exchange("POST", path, body);
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

    /** A component's own operation, e.g. {@code operate("mock", "load-schema", schema)}. */
    @Override
    public JsonNode operate(String component, String operation, JsonNode body) {
        return send("POST", "/" + segment(component) + "/" + segment(operation), body);
    }

    @Override
    public void close() {
        http.close();
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The answer, or a {@link SpindleException} with the server's error type when it is not 2xx. */
    private JsonNode send(String method, String path, JsonNode body) {
        Answer answer = exchange(method, path, body);
        if (answer.status() >= 300) {
            FailureKind type = Wire.errorType(answer.json().path("error_type").asString(null));
            throw new SpindleException(type == null ? ErrorType.IOError : type,
                    answer.json().path("error").asString("HTTP " + answer.status() + " from " + method + " " + path));
        }
        return answer.json();
    }

    private record Answer(int status, JsonNode json) {}

    /** One request; only failing to get an answer at all throws. A non-JSON error body reads as {@code {}}. */
    private Answer exchange(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(body)))
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
            return new Answer(response.statusCode(), Json.object());
        }
        try {
            return new Answer(response.statusCode(), Json.parse(response.body()));
        } catch (RuntimeException notJson) {
            if (response.statusCode() < 300) {
                throw new SpindleException(ErrorType.IOError, method + " " + path + " answered " + response.statusCode() + " without JSON");
            }
            return new Answer(response.statusCode(), Json.object());
        }
    }
}
