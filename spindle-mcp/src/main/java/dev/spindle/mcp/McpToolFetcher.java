package dev.spindle.mcp;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.core.Version;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fetches the tool definitions of an MCP server with the official SDK: the real handshake
 * (initialize, notifications/initialized), then tools/list following nextCursor. Over Streamable HTTP
 * (JSON or SSE answers, Mcp-Session-Id) or stdio (replies matched by id, stderr drained). Each tool
 * comes back as its raw MCP JSON, full schema kept.
 */
public final class McpToolFetcher {
    private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(JsonMapper.builder().build());
    private static final McpSchema.Implementation CLIENT = McpSchema.Implementation.builder("spindle", Version.CURRENT).build();

    private McpToolFetcher() {}

    /** Tools of a Streamable HTTP server at {@code url} (e.g. {@code http://127.0.0.1:3001/mcp}). */
    public static List<ObjectNode> overHttp(String url, Map<String, String> headers, Duration timeout) {
        URI uri = httpUri(url);
        String base = uri.getScheme() + "://" + uri.getRawAuthority();
        String endpoint = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            endpoint += "?" + uri.getRawQuery();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder();
        headers.forEach((name, value) -> {
            try {
                request.setHeader(name, value);
            } catch (IllegalArgumentException e) {
                throw new SpindleException(ErrorType.InvalidRequest, "Header '" + name + "' cannot be sent: " + e.getMessage());
            }
        });
        var transport = HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint).jsonMapper(MAPPER)
                .connectTimeout(timeout).requestBuilder(request).build();
        return fetch(transport, timeout, url);
    }

    private static URI httpUri(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(url, "expected http(s)://host[:port]/path");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new SpindleException(ErrorType.InvalidRequest, "Not an MCP server URL: " + e.getMessage());
        }
    }

    /** Tools of a stdio server started with {@code command} (split like a shell would, without one). */
    public static List<ObjectNode> overStdio(List<String> command, Map<String, String> env, Duration timeout, Consumer<String> stderr) {
        if (command.isEmpty()) {
            throw new SpindleException(ErrorType.InvalidRequest, "No command given for the stdio MCP server");
        }
        requireStartable(command.getFirst());
        ServerParameters parameters = ServerParameters.builder(command.getFirst()).args(command.subList(1, command.size()))
                .env(mergedEnvironment(env)).build();
        StdioClientTransport transport = new StdioClientTransport(parameters, MAPPER);
        transport.setStdErrorHandler(stderr);
        return fetch(transport, timeout, String.join(" ", command));
    }

    /**
     * Finds the program as exec would (a path, or a name on PATH), so that a typo is reported at once:
     * the SDK starts the process asynchronously and would only time out.
     */
    private static void requireStartable(String program) {
        List<Path> candidates = new ArrayList<>();
        if (program.contains("/")) {
            candidates.add(Path.of(program));
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                candidates.add(Path.of(dir.isEmpty() ? "." : dir, program));
            }
        }
        boolean exists = false;
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                exists = true;
                if (Files.isExecutable(candidate)) {
                    return;
                }
            }
        }
        throw new SpindleException(ErrorType.InvalidRequest, "MCP server command '" + program + "' cannot start: "
                + (exists ? "Permission denied" : "No such file or directory" + (program.contains("/") ? "" : " (not found on PATH)")));
    }

    private static Map<String, String> mergedEnvironment(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.putAll(extra);
        return env;
    }

    private static List<ObjectNode> fetch(McpClientTransport transport, Duration timeout, String server) {
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(timeout).initializationTimeout(timeout).clientInfo(CLIENT).build()) {
            client.initialize();
            List<ObjectNode> tools = new ArrayList<>();
            String cursor = null;
            do {
                McpSchema.ListToolsResult page = client.listTools(cursor);
                for (McpSchema.Tool tool : page.tools()) {
                    tools.add((ObjectNode) Json.parse(MAPPER.writeValueAsString(tool)));
                }
                cursor = page.nextCursor();
            } while (cursor != null && !cursor.isEmpty());
            return tools;
        } catch (SpindleException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SpindleException(ErrorType.APIError, "MCP server " + server + " failed: " + describe(e, timeout));
        }
    }

    /**
     * What the upstream server or the connection did, in words: the cause a user can act on (refused,
     * unknown host, no answer in time) or else the deepest message, without Java class names.
     */
    private static String describe(Throwable e, Duration timeout) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        if (has(chain, UnknownHostException.class) || has(chain, UnresolvedAddressException.class)) {
            return "unknown host";
        }
        if (has(chain, HttpConnectTimeoutException.class)) {
            return "no connection within " + timeout.toSeconds() + " s";
        }
        if (has(chain, ConnectException.class)) {
            return "connection refused";
        }
        if (has(chain, HttpTimeoutException.class) || has(chain, TimeoutException.class)) {
            return "no answer within " + timeout.toSeconds() + " s";
        }
        String message = chain.reversed().stream().map(Throwable::getMessage).filter(m -> m != null && !m.isBlank()).findFirst()
                .orElse("the exchange failed").replaceAll("\\b(?:[a-z]\\w*\\.)+[A-Z]\\w*: ", "");
        return message.length() <= 300 ? message : message.substring(0, 300) + "...";
    }

    private static boolean has(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().anyMatch(type::isInstance);
    }
}
