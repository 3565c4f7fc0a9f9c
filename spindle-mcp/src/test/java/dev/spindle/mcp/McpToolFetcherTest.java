package dev.spindle.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.testing.EverythingServer;
import dev.spindle.testing.LoopbackHttp;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.node.ObjectNode;

/** Against the real {@code @modelcontextprotocol/server-everything}, over both transports. */
@Timeout(120)
class McpToolFetcherTest {
    private static void assertEverythingTools(List<ObjectNode> tools) {
        assertThat(tools).hasSizeGreaterThanOrEqualTo(8);
        List<String> names = tools.stream().map(t -> t.path("name").asString()).toList();
        assertThat(names).contains("echo").doesNotHaveDuplicates();
        ObjectNode echo = tools.stream().filter(t -> t.path("name").asString().equals("echo")).findFirst().orElseThrow();
        assertThat(echo.path("inputSchema").path("properties").has("message")).isTrue();
        assertThat(echo.path("inputSchema").path("required").toString()).contains("message");
        assertThat(echo.path("description").asString()).isNotBlank();
    }

    @Test
    void fetchesToolsOverStdio() {
        List<String> stderr = new CopyOnWriteArrayList<>();
        assertEverythingTools(McpToolFetcher.overStdio(EverythingServer.stdioCommand(), Map.of(), Duration.ofSeconds(30), stderr::add));
    }

    @Test
    void fetchesToolsOverStreamableHttp() throws Exception {
        try (EverythingServer server = EverythingServer.startHttp()) {
            assertEverythingTools(McpToolFetcher.overHttp(server.url(), Map.of("X-Test", "1"), Duration.ofSeconds(30)));
        }
    }

    @Test
    void anUnreachableServerIsAnApiErrorSayingWhat() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        int closedPort = port;
        SpindleException e = catchThrowableOfType(SpindleException.class,
                () -> McpToolFetcher.overHttp("http://127.0.0.1:" + closedPort + "/mcp", Map.of(), Duration.ofSeconds(5)));
        assertThat(e.type()).isEqualTo(ErrorType.APIError);
        assertThat(e.getMessage()).contains("http://127.0.0.1:" + closedPort + "/mcp").contains("connection refused")
                .doesNotContain("Exception");
    }

    @Test
    void aPlainHttpServerThatIsNotMcpIsAnApiErrorSayingWhatItAnswered() throws Exception {
        try (LoopbackHttp web = LoopbackHttp.answering("/", 404, "text/html", "<html><body>Not Found</body></html>")) {
            String url = web.url + "mcp";
            SpindleException e = catchThrowableOfType(SpindleException.class, () -> McpToolFetcher.overHttp(url, Map.of(), Duration.ofSeconds(5)));
            assertThat(e.type()).isEqualTo(ErrorType.APIError);
            assertThat(e.getMessage()).contains(url).contains("404").doesNotContain("Exception");
        }
    }

    @Test
    void aCommandThatIsNotAnMcpServerFails() {
        SpindleException e = catchThrowableOfType(SpindleException.class,
                () -> McpToolFetcher.overStdio(List.of("node", "-e", "process.exit(3)"), Map.of(), Duration.ofSeconds(5), line -> {}));
        assertThat(e.type()).isEqualTo(ErrorType.APIError);
    }
}
