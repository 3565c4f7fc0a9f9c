package dev.spindle.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract through the MCP Java SDK's client over Streamable HTTP to {@code /mcp}: one MCP session is
 * one tool session, and a failed call is a result with {@code isError} whose text is {@code Type: message}.
 */
class McpContractTest extends ToolCallingContract {
    @Override
    Caller open() {
        var transport = HttpClientStreamableHttpTransport.builder(s.base).endpoint("/mcp").build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
        client.initialize();
        return new McpCaller(client);
    }

    /**
     * MCP answers a tool it does not list as a protocol error (invalid params), as its specification says, not
     * as a result: the SDK names the tool in the error's data, and does not list the tools (tools/list does).
     */
    @Override
    void assertUnknownTool(Answer unknown, Answer reference) {
        assertThat(reference.errorType()).isEqualTo("UnknownTool");
        assertThat(unknown).isEqualTo(new Answer(false, "Unknown tool: invalid_tool_name (Tool not found: get_wether)",
                "JSON-RPC " + McpSchema.ErrorCodes.INVALID_PARAMS));
    }

    private record McpCaller(McpSyncClient client) implements Caller {
        @Override
        public Answer call(String tool, Map<String, Object> arguments) {
            McpSchema.CallToolResult result;
            try {
                result = client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
            } catch (McpError e) { // a protocol error: its data says more than its message (the SDK's "Unknown tool: invalid_tool_name")
                var error = e.getJsonRpcError();
                return new Answer(false, error.data() == null ? error.message() : error.message() + " (" + error.data() + ")", "JSON-RPC " + error.code());
            }
            String text = ((McpSchema.TextContent) result.content().getFirst()).text();
            if (!Boolean.TRUE.equals(result.isError())) {
                return new Answer(true, text, null);
            }
            int colon = text.indexOf(": ");
            return colon < 0 ? new Answer(false, text, null) : new Answer(false, text.substring(colon + 2), text.substring(0, colon));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<String, List<String>> tools() {
            Map<String, List<String>> tools = new LinkedHashMap<>();
            for (McpSchema.Tool tool : client.listTools().tools()) {
                Object required = tool.inputSchema().get("required");
                tools.put(tool.name(), required == null ? List.of() : (List<String>) required);
            }
            return tools;
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
