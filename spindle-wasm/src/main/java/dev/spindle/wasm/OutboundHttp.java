package dev.spindle.wasm;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import run.endive.runtime.HostFunction;
import run.endive.runtime.Instance;
import run.endive.wasm.types.FunctionType;
import run.endive.wasm.types.ValType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one door to the network: host function {@code spindle.http_request(req_ptr, req_len, resp_ptr,
 * resp_cap) -> i32}. The request is JSON {@code {method?, url, headers?, body?}}; the response, written
 * at {@code resp_ptr}, is JSON {@code {status, headers, body}} and the result is its length, or minus the
 * length needed when {@code resp_cap} is too small (call again with a bigger buffer). A URL the
 * component's outbound grant refuses ({@link AllowedHosts}: {@code allowed_outbound_hosts}, private
 * networks only where named) ends the call with {@code NotAllowed}; a network failure answers {@code {"error": ...}}.
 */
final class OutboundHttp {
    static final String MODULE = "spindle";
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final AllowedHosts allowed;
    private final Duration timeout;

    OutboundHttp(AllowedHosts allowed, Duration timeout) {
        this.allowed = allowed;
        this.timeout = timeout;
    }

    HostFunction hostFunction() {
        return new HostFunction(MODULE, "http_request",
                FunctionType.of(List.of(ValType.I32, ValType.I32, ValType.I32, ValType.I32), List.of(ValType.I32)),
                (Instance instance, long... args) -> {
                    byte[] request = instance.memory().readBytes((int) args[0], (int) args[1]);
                    byte[] response = Json.writeBytes(fetch(Json.parse(request)));
                    if (response.length > args[3]) {
                        return new long[] {-response.length};
                    }
                    instance.memory().write((int) args[2], response);
                    return new long[] {response.length};
                });
    }

    private ObjectNode fetch(JsonNode request) {
        URI uri;
        try {
            uri = URI.create(request.path("url").asString(""));
        } catch (IllegalArgumentException e) {
            return Json.object().put("error", "Not a URL: " + request.path("url").asString(""));
        }
        if (uri.getScheme() == null || uri.getHost() == null || !uri.getScheme().matches("https?")) {
            return Json.object().put("error", "Only http and https URLs can be fetched, got " + uri);
        }
        allowed.check(uri); // before any connection: refused hosts and private networks are never reached
        String body = request.path("body").asString("");
        HttpRequest.Builder http = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(request.path("method").asString("GET"), body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (Map.Entry<String, JsonNode> header : request.path("headers").properties()) {
            http.header(header.getKey(), header.getValue().asString());
        }
        try {
            HttpResponse<String> response = CLIENT.send(http.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            ObjectNode answer = Json.object().put("status", response.statusCode());
            ObjectNode headers = answer.putObject("headers");
            response.headers().map().forEach((name, values) -> {
                if (!name.startsWith(":")) { // the JDK's pseudo-header ":status" is not a header
                    headers.put(name, String.join(", ", values));
                }
            });
            return answer.put("body", response.body());
        } catch (HttpTimeoutException e) {
            throw new SpindleException(ErrorType.Timeout, "Outbound request to " + uri + " took longer than " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return Json.object().put("error", "Request to " + uri + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpindleException(ErrorType.Timeout, "Interrupted while fetching " + uri);
        }
    }
}
