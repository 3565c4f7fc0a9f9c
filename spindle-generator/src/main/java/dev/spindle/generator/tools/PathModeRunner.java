package dev.spindle.generator.tools;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolResult;
import dev.spindle.core.wire.Wire;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * DeepFabric's path mode ({@code tool_execute_path}): every tool is POSTed to one URL as
 * {@code {name, arguments}}. Unlike DeepFabric it also sends {@code session_id}, which Spindle's
 * routes honour (so mock state stays per sample) and Spin's ignore; and an error answer keeps its
 * {@code error_type} when the server sends one, instead of becoming {@code HTTPError}. One HTTP
 * client serves the whole run (DeepFabric opens one per sample and never closes it).
 */
public final class PathModeRunner implements ToolRunner {
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();

    public PathModeRunner(String endpoint, String path) {
        this.url = URI.create(endpoint.replaceAll("/+$", "") + path);
    }

    @Override
    public ToolResult run(String sessionId, AgentTool tool, JsonNode arguments) {
        ObjectNode body = Json.object().put("name", tool.name()).put("session_id", sessionId);
        body.set("arguments", arguments);
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return ToolResult.failure(ErrorType.Timeout, "Tool execution timed out");
        } catch (IOException e) {
            throw new SpindleException(ErrorType.IOError, "cannot reach " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpindleException(ErrorType.Timeout, "interrupted");
        }
        JsonNode json;
        try {
            json = Json.parse(response.body());
        } catch (RuntimeException notJson) {
            return ToolResult.failure(ErrorType.HTTPError, "HTTP " + response.statusCode());
        }
        if (response.statusCode() == 200 && json.has("result")) {
            return ToolResult.ok(json.get("result"));
        }
        if (response.statusCode() == 200) {
            return Wire.fromEnvelope(json);
        }
        ErrorType type = Wire.errorType(json.path("error_type").asString(null));
        return ToolResult.failure(type == null ? ErrorType.HTTPError : type, json.path("error").asString("HTTP " + response.statusCode()));
    }
}
