package dev.spindle.server.openenv;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Assembles a socket's data frames (text or binary, and their continuations) into whole messages of at most
 * {@code maxBytes} of UTF-8, refusing a message the moment it passes the limit, whether it came in one frame
 * or many (1009), and one that is not UTF-8 (1007) rather than changing its bytes. Vert.x's own assembly drops
 * an oversized message silently and leaves the socket open, so a client waits for an answer that never comes.
 * Control frames are not data: Vert.x answers pings itself.
 */
final class BoundedMessages implements Handler<WebSocketFrame> {
    /** How the socket is closed: the status and a reason for the client. */
    @FunctionalInterface
    interface Refusal {
        void refuse(WebSocketCloseStatus status, String reason);
    }

    private final int maxBytes;
    private final Consumer<String> whole;
    private final Refusal refusal;
    /** The fragments of the message coming in; null between messages. */
    private Buffer partial;
    private boolean refused;

    BoundedMessages(int maxBytes, Consumer<String> whole, Refusal refusal) {
        this.maxBytes = maxBytes;
        this.whole = whole;
        this.refusal = refusal;
    }

    /** The reason given for a message over the limit (Netty's refusal of a frame too large from its header says it too). */
    String tooLarge() {
        return "Message too big: the limit is " + maxBytes + " bytes";
    }

    @Override
    public void handle(WebSocketFrame frame) {
        if (refused || !(frame.isText() || frame.isBinary() || frame.isContinuation())) {
            return; // past a refusal the socket is closing: nothing more is read
        }
        Buffer data = frame.binaryData();
        long length = (partial == null ? 0L : partial.length()) + data.length();
        if (length > maxBytes) {
            refuse(WebSocketCloseStatus.MESSAGE_TOO_BIG, tooLarge());
            return;
        }
        if (!frame.isFinal()) {
            partial = partial == null ? Buffer.buffer((int) length).appendBuffer(data) : partial.appendBuffer(data);
            return;
        }
        Buffer message = partial == null ? data : partial.appendBuffer(data); // the usual case, one frame: no copy
        partial = null;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(((BufferInternal) message).getByteBuf().nioBuffer()).toString();
        } catch (CharacterCodingException e) {
            refuse(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "The message is not valid UTF-8");
            return;
        }
        whole.accept(text);
    }

    private void refuse(WebSocketCloseStatus status, String reason) {
        refused = true;
        partial = null;
        refusal.refuse(status, reason);
    }
}
