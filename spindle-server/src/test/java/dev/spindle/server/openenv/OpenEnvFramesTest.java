package dev.spindle.server.openenv;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Frames past the socket's limits, and malformed ones, against a real server with a 64 KiB message limit (the
 * request body limit): each closes the socket at once with RFC 6455's status, where the client would otherwise
 * wait for an answer that never comes, and the server serves on.
 */
@Timeout(120)
class OpenEnvFramesTest {
    private static final int LIMIT = 64 << 10;

    @AutoClose
    final EnvServer env = new EnvServer(e -> e, c -> c.withMaxBodyBytes(LIMIT));

    private static final String HEAD = "{\"type\":\"step\",\"data\":{\"type\":\"call_tool\",\"tool_name\":\"write_file\",\"arguments\":{\"file_path\":\"big.txt\",\"content\":\"";
    private static final String TAIL = "\"}}}";

    /** A step frame writing a file, padded to exactly {@code bytes} bytes of JSON. */
    private static String writeStep(int bytes) {
        return HEAD + "x".repeat(bytes - HEAD.length() - TAIL.length()) + TAIL;
    }

    @Test
    void aMessageOfExactlyTheLimitIsAnswered() {
        try (EnvSocket ws = env.socket()) {
            String session = ws.ask("{\"type\":\"reset\"}").path("data").path("observation").path("session_id").asString();
            ws.socket.writeFrame(WebSocketFrame.textFrame(writeStep(LIMIT), true));
            JsonNode answer = ws.next();
            assertThat(answer.path("data").path("observation").path("error").isNull()).as(answer.toString()).isTrue();
            assertThat(env.runtime.exportFiles(session).get("big.txt")).hasSize(LIMIT - HEAD.length() - TAIL.length());
        }
    }

    @Test
    void aMessageOverTheLimitClosesWith1009InOneFrameOrInFragments() throws InterruptedException {
        String over = writeStep(LIMIT + 1);
        Map<String, Consumer<EnvSocket>> ways = new LinkedHashMap<>();
        ways.put("one text frame", ws -> ws.socket.writeFrame(WebSocketFrame.textFrame(over, true)));
        ways.put("one binary frame", ws -> ws.socket.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(over), true)));
        ways.put("fragments, the last passing the limit", ws -> {
            ws.socket.writeFrame(WebSocketFrame.textFrame(over.substring(0, LIMIT / 2), false));
            ws.socket.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(over.substring(LIMIT / 2, LIMIT)), false));
            ws.socket.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(over.substring(LIMIT)), true));
        });
        ways.put("fragments passing it before the last", ws -> {
            ws.socket.writeFrame(WebSocketFrame.textFrame(over, false));
            ws.socket.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("}"), true));
        });
        ways.put("a message the client splits itself", ws -> ws.socket.writeTextMessage(writeStep(LIMIT * 3)));
        ways.forEach((way, send) -> {
            try (EnvSocket ws = env.socket()) {
                ws.ask("{\"type\":\"reset\"}");
                send.accept(ws);
                assertThat(ws.closedWithin(10)).as(way).isTrue();
                assertThat(ws.socket.closeStatusCode()).as(way).isEqualTo((short) 1009);
                assertThat(ws.socket.closeReason()).as(way).isEqualTo("Message too big: the limit is " + LIMIT + " bytes");
            }
        });
        awaitNoEpisodes();
        try (EnvSocket ws = env.socket()) {
            assertThat(ws.ask("{\"type\":\"reset\"}").path("type").asString()).isEqualTo("observation");
        }
    }

    @Test
    void hostileFramesCloseWithTheirStatusAndTheServerServesOn() throws InterruptedException {
        record Case(String name, Consumer<RawSocket> send, int status) {}
        byte[] state = "{\"type\":\"state\"}".getBytes(StandardCharsets.UTF_8);
        var cases = List.of(
                new Case("a header announcing 2^62 bytes", s -> s.announce(0x80 | RawSocket.TEXT, 1L << 62), 1009),
                new Case("a header announcing one byte over", s -> s.announce(0x80 | RawSocket.BINARY, LIMIT + 1), 1009),
                new Case("a negative 64-bit length", s -> s.announce(0x80 | RawSocket.TEXT, -1L), 1002),
                new Case("text that is not UTF-8", s -> s.frame(RawSocket.TEXT, new byte[] {'"', (byte) 0xff, '"'}), 1007),
                new Case("fragments that are not UTF-8 together", s -> {
                    s.frame(RawSocket.TEXT, new byte[] {'"', (byte) 0xc3}, true);
                    s.frame(0x80 | RawSocket.CONTINUATION, new byte[] {'(', '"'}, true);
                }, 1007),
                new Case("a ping of 126 bytes", s -> s.frame(RawSocket.PING, new byte[126]), 1002),
                new Case("a fragmented ping", s -> s.frame(RawSocket.PING, new byte[1], true), 1002),
                new Case("a continuation with no message", s -> s.frame(RawSocket.CONTINUATION, state), 1002),
                new Case("a new message inside a fragmented one", s -> {
                    s.frame(RawSocket.TEXT, state, true);
                    s.frame(RawSocket.TEXT, state);
                }, 1002),
                new Case("an unmasked frame", s -> s.frame(0x80 | RawSocket.TEXT, state, false), 1002),
                new Case("a reserved opcode", s -> s.frame(0x3, state), 1002));
        for (Case c : cases) {
            try (RawSocket raw = new RawSocket(env.server.port())) {
                raw.frame(RawSocket.TEXT, "{\"type\":\"reset\"}".getBytes(StandardCharsets.UTF_8));
                c.send().accept(raw);
                assertThat(raw.closeCode()).as(c.name()).isEqualTo(c.status());
            }
        }
        awaitNoEpisodes();
        assertThat(env.send("GET", "/health", null).status()).isEqualTo(200);
        try (EnvSocket ws = env.socket()) {
            assertThat(ws.ask("{\"type\":\"reset\"}").path("type").asString()).isEqualTo("observation");
            assertThat(ws.ask("{\"type\":\"state\"}").path("type").asString()).isEqualTo("state");
        }
    }

    /** Sockets closed by the server release their episodes off the event loop. */
    private void awaitNoEpisodes() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (env.server.openEnvEpisodes() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(env.server.openEnvEpisodes()).isZero();
    }
}
