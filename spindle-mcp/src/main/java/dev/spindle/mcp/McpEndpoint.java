package dev.spindle.mcp;

import dev.spindle.core.ComponentInfo;
import dev.spindle.core.Json;
import dev.spindle.core.SessionSpec;
import dev.spindle.core.SpindleException;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.ToolResult;
import dev.spindle.core.Version;
import dev.spindle.core.runtime.ToolRuntime;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every component's tools as an MCP server, independent of the transport: the HTTP adapter (POST
 * {@code /mcp}) and {@code spindle mcp} (stdio) feed it one JSON-RPC message at a time. The protocol
 * (initialize, ping, tools/list, tools/call, errors) is the official SDK's stateless server; sessions
 * are ours: one MCP session is one tool session with the same id, so its files are isolated and go
 * away when the MCP session ends or expires.
 *
 * <p>Tool names: a tool keeps its name unless an earlier registered component (vfs before mock) already
 * uses it; then it is exposed as {@code <component>__<tool>}, a name every LLM API accepts.
 */
public final class McpEndpoint {
    private static final String SESSION_KEY = "spindle.session";
    private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(JsonMapper.builder().build());

    private final ToolRuntime runtime;
    private final McpStatelessSyncServer server;
    private McpStatelessServerHandler handler;
    /** What the SDK server currently lists: exposed name to the definition it was built from. */
    private final Map<String, ToolDefinition> exposed = new HashMap<>();

    public McpEndpoint(ToolRuntime runtime) {
        this.runtime = runtime;
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

    /** A new MCP session, backed by a new, empty tool session of the same id. */
    public String openSession() {
        String id = "mcp-" + UUID.randomUUID();
        runtime.openSession(new SessionSpec(id, Map.of(), null));
        return id;
    }

    public boolean isOpen(String sessionId) {
        return runtime.session(sessionId).isPresent();
    }

    public void closeSession(String sessionId) {
        runtime.closeSession(sessionId);
    }

    /** True when the message is an {@code initialize} request (which opens a session over HTTP). */
    public static boolean isInitialize(String message) {
        try {
            return Json.parse(message).path("method").asString("").equals(McpSchema.METHOD_INITIALIZE);
        } catch (SpindleException notJson) {
            return false;
        }
    }

    /** Handles one JSON-RPC message of a session: the response to send, or empty (notifications, responses). */
    public Optional<String> handle(String sessionId, String message) {
        McpSchema.JSONRPCMessage parsed;
        try {
            parsed = McpSchema.deserializeJsonRpcMessage(MAPPER, message);
        } catch (IOException | RuntimeException e) { // Jackson 3 parse errors are unchecked
            return Optional.of(parseError("Not a JSON-RPC message: " + e.getMessage()));
        }
        McpTransportContext context = McpTransportContext.create(Map.of(SESSION_KEY, sessionId));
        if (parsed instanceof McpSchema.JSONRPCRequest request) {
            if (needsSync(request)) {
                syncTools();
            }
            McpSchema.JSONRPCResponse response = handler.handleRequest(context, request).block();
            return Optional.of(write(response));
        }
        if (parsed instanceof McpSchema.JSONRPCNotification notification) {
            handler.handleNotification(context, notification).block();
        }
        return Optional.empty();
    }

    /**
     * A listing always looks at the runtime's tools afresh; a call only when it names a tool the SDK
     * does not know yet (a call runs the runtime's current definition either way).
     */
    private boolean needsSync(McpSchema.JSONRPCRequest request) {
        if (request.method().equals(McpSchema.METHOD_TOOLS_LIST)) {
            return true;
        }
        if (!request.method().equals(McpSchema.METHOD_TOOLS_CALL)) {
            return false;
        }
        Object name = request.params() instanceof Map<?, ?> params ? params.get("name") : null;
        synchronized (this) {
            return !exposed.containsKey(String.valueOf(name));
        }
    }

    /** Brings the SDK server's tool list in line with the runtime's (the mock's catalogue changes). */
    private synchronized void syncTools() {
        Set<String> current = new HashSet<>();
        for (ComponentInfo component : runtime.components()) {
            for (ToolDefinition tool : component.tools()) {
                String name = current.contains(tool.name()) ? component.name() + "__" + tool.name() : tool.name();
                current.add(name);
                if (!tool.equals(exposed.get(name))) {
                    if (exposed.containsKey(name)) {
                        server.removeTool(name);
                    }
                    server.addTool(specification(name, component.name(), tool));
                    exposed.put(name, tool);
                }
            }
        }
        for (String gone : List.copyOf(exposed.keySet())) {
            if (!current.contains(gone)) {
                server.removeTool(gone);
                exposed.remove(gone);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private SyncToolSpecification specification(String exposedName, String component, ToolDefinition tool) {
        McpSchema.Tool.Builder mcpTool = McpSchema.Tool.builder().name(exposedName).description(tool.description())
                .inputSchema(MAPPER.convertValue(tool.inputSchema(), Map.class));
        if (tool.annotations() != null) {
            mcpTool.annotations(MAPPER.convertValue(tool.annotations(), McpSchema.ToolAnnotations.class));
        }
        return new SyncToolSpecification(mcpTool.build(), (context, request) -> {
            String session = (String) context.get(SESSION_KEY);
            ToolResult result;
            try {
                result = runtime.execute(new ToolCall(session, component, tool.name(), Json.MAPPER.valueToTree(request.arguments())));
            } catch (SpindleException e) {
                result = ToolResult.failure(e);
            }
            String text = result.success() ? result.result() : result.errorType() + ": " + result.result();
            return McpSchema.CallToolResult.builder().addTextContent(text).isError(!result.success()).build();
        });
    }

    /** JSON-RPC's answer to an unreadable message: id null (which the SDK's response type refuses). */
    private static String parseError(String message) {
        var error = Json.object().put("jsonrpc", McpSchema.JSONRPC_VERSION).putNull("id");
        error.putObject("error").put("code", McpSchema.ErrorCodes.PARSE_ERROR).put("message", message);
        return Json.write(error);
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an MCP message", e);
        }
    }
}
