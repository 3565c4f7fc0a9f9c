package dev.spindle.mcp;

import dev.spindle.core.ExposedTools;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.ToolResult;
import dev.spindle.core.Version;
import dev.spindle.core.runtime.SessionAdmin;
import dev.spindle.core.runtime.ToolCalls;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every component's tools as an MCP server, independent of the transport: the HTTP adapter (POST
 * {@code /mcp}) and {@code spindle mcp} (stdio) feed it one JSON-RPC message at a time. The protocol
 * (initialize, ping, tools/list, tools/call, errors) is the official SDK's stateless server; sessions
 * are ours: each MCP session is backed by a tool session of its own, so its files are isolated and go
 * away when the MCP session ends or its tool session expires.
 *
 * <p>MCP session ids are issued only here, are random, and are not tool-session ids: knowing a tool
 * session's id gives no MCP session, and ending an MCP session ends only its own tool session. At most
 * {@code maxSessions} are open at once.
 *
 * <p>Tool names are {@link ExposedTools}': a tool keeps its name unless an earlier registered component
 * (vfs before mock) already uses it; then it is exposed as {@code <component>__<tool>}.
 */
public final class McpEndpoint {
    public static final int DEFAULT_MAX_SESSIONS = 1_000;
    private static final Logger LOG = Logger.getLogger(McpEndpoint.class.getName());
    private static final String SESSION_KEY = "spindle.session";
    private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(JsonMapper.builder().build());
    /** The SDK's type for the params of each method it serves. */
    private static final Map<String, Class<?>> PARAMS = Map.of(
            McpSchema.METHOD_INITIALIZE, McpSchema.InitializeRequest.class,
            McpSchema.METHOD_TOOLS_LIST, McpSchema.PaginatedRequest.class,
            McpSchema.METHOD_TOOLS_CALL, McpSchema.CallToolRequest.class);

    private final ToolCalls calls;
    private final SessionAdmin sessionAdmin;
    private final int maxSessions;
    /** Open MCP sessions: MCP session id to the id of the tool session behind it. */
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    private final McpStatelessSyncServer server;
    private McpStatelessServerHandler handler;
    /** What the SDK server currently lists: exposed name to the definition it was built from. */
    private final Map<String, ToolDefinition> exposed = new HashMap<>();

    public <R extends ToolCalls & SessionAdmin> McpEndpoint(R runtime) {
        this(runtime, DEFAULT_MAX_SESSIONS);
    }

    public <R extends ToolCalls & SessionAdmin> McpEndpoint(R runtime, int maxSessions) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("the MCP session limit must be at least 1, got " + maxSessions);
        }
        this.calls = runtime;
        this.sessionAdmin = runtime;
        this.maxSessions = maxSessions;
        this.server = McpServer.sync(new McpStatelessServerTransport() {
            @Override
            public void setMcpHandler(McpStatelessServerHandler mcpHandler) {
                handler = mcpHandler;
            }

            @Override
            public Mono<Void> closeGracefully() {
                return Mono.empty();
            }
        }).jsonMapper(MAPPER).serverInfo("spindle", Version.CURRENT)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .validateToolInputs(false)
                .build();
    }

    public int maxSessions() {
        return maxSessions;
    }

    /**
     * A new MCP session backed by a new, empty tool session; empty when {@code maxSessions} are open.
     * Sessions whose tool session expired are forgotten first.
     */
    public Optional<String> openSession() {
        synchronized (sessions) { // one at a time, so that concurrent initializes cannot pass the limit together
            if (sessions.size() >= maxSessions) {
                sessions.values().removeIf(toolSession -> !sessionAdmin.hasSession(toolSession));
                if (sessions.size() >= maxSessions) {
                    return Optional.empty();
                }
            }
            String toolSession = sessionAdmin.openSession(new SessionSpec(null, Map.of(), null)).sessionId();
            String id = "mcp-" + UUID.randomUUID(); // random (SecureRandom), never derived from the tool session
            sessions.put(id, toolSession);
            return Optional.of(id);
        }
    }

    /** True when the MCP session is open; counts as use, so that an active session does not expire. */
    public boolean isOpen(String sessionId) {
        String toolSession = sessionId == null ? null : sessions.get(sessionId);
        if (toolSession == null) {
            return false;
        }
        if (!sessionAdmin.keepAlive(toolSession)) {
            sessions.remove(sessionId, toolSession); // its tool session expired or was closed
            return false;
        }
        return true;
    }

    /** Ends the MCP session and its tool session; false when there was no such MCP session. */
    public boolean closeSession(String sessionId) {
        String toolSession = sessionId == null ? null : sessions.remove(sessionId);
        if (toolSession == null) {
            return false;
        }
        sessionAdmin.closeSession(toolSession);
        return true;
    }

    /** Handles one JSON-RPC message text of an open session: the answer to send, or empty. */
    public Optional<String> handle(String sessionId, String message) {
        try {
            return handle(sessionId, JsonRpc.parse(message));
        } catch (JsonRpc.Failure invalid) {
            return Optional.of(invalid.body());
        }
    }

    /**
     * Handles one checked message of an open session: the answer to a request (a result or a JSON-RPC
     * error), empty for notifications and responses.
     */
    public Optional<String> handle(String sessionId, JsonRpc message) {
        McpTransportContext context = McpTransportContext.create(Map.of(SESSION_KEY, sessions.getOrDefault(sessionId, "")));
        if (!message.isRequest()) {
            if (message.isNotification()) { // else a response to a server request: this server sends none
                notify(context, message);
            }
            return Optional.empty();
        }
        try {
            checkParams(message);
            if (needsSync(message)) {
                syncTools();
            }
            var request = new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, message.method(), message.sdkId(), sdkParams(message));
            return Optional.of(write(withoutInternals(message, handler.handleRequest(context, request).block())));
        } catch (JsonRpc.Failure failure) {
            return Optional.of(failure.body());
        } catch (Throwable e) { // an Error too: a bug, but the request is answered and the transport goes on
            LOG.log(Level.WARNING, "event=mcp_request_failed method=" + message.method(), e);
            return Optional.of(message.error(McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error; the request was not completed").body());
        }
    }

    /** Notifications get no answer, not even an error. */
    private void notify(McpTransportContext context, JsonRpc message) {
        try {
            handler.handleNotification(context, new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, message.method(), sdkParams(message))).block();
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "event=mcp_notification_failed method=" + message.method(), e);
        }
    }

    private static Object sdkParams(JsonRpc message) {
        return message.params() == null ? null : MAPPER.convertValue(message.params(), Object.class);
    }

    /** The SDK answers its own failures with the exception's text: that is logged, not sent. */
    private static McpSchema.JSONRPCResponse withoutInternals(JsonRpc message, McpSchema.JSONRPCResponse response) {
        if (response.error() == null || response.error().code() != McpSchema.ErrorCodes.INTERNAL_ERROR) {
            return response;
        }
        LOG.warning(() -> "event=mcp_request_failed method=" + message.method() + " cause=" + response.error().message());
        return McpSchema.JSONRPCResponse.error(response.id(), new McpSchema.JSONRPCResponse.JSONRPCError(
                McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error; the request was not completed"));
    }

    /**
     * MCP's params are objects of a known shape per method; checked here, as the SDK would answer a
     * mismatch with an internal error that quotes its exception.
     */
    private static void checkParams(JsonRpc message) {
        JsonNode params = message.params();
        if (params != null && !params.isObject()) {
            throw message.error(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params: params must be an object");
        }
        Class<?> shape = PARAMS.get(message.method());
        if (shape != null && params != null) {
            try {
                MAPPER.convertValue(params, shape);
            } catch (RuntimeException e) {
                throw message.error(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params for " + message.method() + where(e));
            }
        }
        if (!message.method().equals(McpSchema.METHOD_TOOLS_CALL)) {
            return;
        }
        if (params == null || !params.path("name").isString()) {
            throw message.error(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params: tools/call needs params {\"name\": TOOL, \"arguments\": {...}}");
        }
        JsonNode arguments = params.path("arguments");
        if (!arguments.isMissingNode() && !arguments.isNull() && !arguments.isObject()) {
            throw message.error(McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params: arguments must be an object");
        }
    }

    /** Which field did not fit, as a JSON path; nothing when the mapper does not say. */
    private static String where(RuntimeException e) {
        if (!(e instanceof DatabindException mismatch) || mismatch.getPath().isEmpty()) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (var reference : mismatch.getPath()) {
            path.append(reference.getPropertyName() != null ? "." + reference.getPropertyName() : "[" + reference.getIndex() + "]");
        }
        return ": " + path.substring(path.charAt(0) == '.' ? 1 : 0) + " has the wrong type";
    }

    /**
     * A listing always looks at the runtime's tools afresh; a call only when it names a tool the SDK
     * does not know yet (a call runs the runtime's current definition either way).
     */
    private boolean needsSync(JsonRpc request) {
        if (request.method().equals(McpSchema.METHOD_TOOLS_LIST)) {
            return true;
        }
        if (!request.method().equals(McpSchema.METHOD_TOOLS_CALL)) {
            return false;
        }
        String name = request.params().path("name").stringValue();
        synchronized (this) {
            return !exposed.containsKey(name);
        }
    }

    /** Brings the SDK server's tool list in line with the runtime's (the mock's catalogue changes). */
    private synchronized void syncTools() {
        Map<String, ExposedTools.Exposed> current = ExposedTools.of(calls.components(), Set.of());
        current.forEach((name, offered) -> {
            ToolDefinition tool = offered.definition();
            if (!tool.equals(exposed.get(name))) {
                if (exposed.containsKey(name)) {
                    server.removeTool(name);
                }
                server.addTool(specification(name, offered.component(), tool));
                exposed.put(name, tool);
            }
        });
        for (String gone : List.copyOf(exposed.keySet())) {
            if (!current.containsKey(gone)) {
                server.removeTool(gone);
                exposed.remove(gone);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private SyncToolSpecification specification(String exposedName, String component, ToolDefinition tool) {
        McpSchema.Tool.Builder mcpTool = McpSchema.Tool.builder(exposedName, MAPPER.convertValue(tool.inputSchema(), Map.class))
                .description(tool.description());
        if (tool.annotations() != null) {
            mcpTool.annotations(MAPPER.convertValue(tool.annotations(), McpSchema.ToolAnnotations.class));
        }
        return new SyncToolSpecification(mcpTool.build(), (context, request) -> {
            String session = (String) context.get(SESSION_KEY);
            ToolResult result;
            try {
                result = calls.execute(new ToolCall(session, component, tool.name(), Json.MAPPER.valueToTree(request.arguments())));
            } catch (SpindleException e) {
                result = ToolResult.failure(e);
            } catch (Error e) {
                // the SDK's Reactor drops an Error and never answers: logged here, it goes on as a failure the SDK answers
                LOG.log(Level.WARNING, "event=mcp_tool_failed tool=" + tool.name(), e);
                throw new IllegalStateException("tool " + tool.name() + " failed with " + e, e);
            }
            String text = result.success() ? result.result() : result.errorType() + ": " + result.result();
            return McpSchema.CallToolResult.builder().addTextContent(text).isError(!result.success()).build();
        });
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an MCP message", e);
        }
    }
}
