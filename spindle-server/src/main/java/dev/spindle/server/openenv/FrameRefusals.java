package dev.spindle.server.openenv;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.concurrent.TimeUnit;

/**
 * Netty's WebSocket decoder refuses a malformed frame, or one whose header announces more than the frame limit,
 * by raising an exception (and drops every byte after it), on which Vert.x closes the connection at once: the
 * close frame saying why is then mostly lost, since closing with unread input resets the connection. This
 * handler, between the decoder and Vert.x, answers it instead: a close frame with RFC 6455's status, then the
 * end of output, while the rest of the client's input is read and dropped, until the client closes or for at
 * most {@value #LINGER_SECONDS} s.
 */
final class FrameRefusals extends ChannelInboundHandlerAdapter {
    private static final int LINGER_SECONDS = 5;
    /** A close frame carries at most 123 bytes of reason. */
    private static final int MAX_REASON = 120;

    private final String tooLarge;
    private boolean refused;

    private FrameRefusals(String tooLarge) {
        this.tooLarge = tooLarge;
    }

    /** Puts the handler in front of Vert.x's on this socket's connection; {@code tooLarge} is the reason a frame over the limit gets. */
    static void install(ServerWebSocket socket, String tooLarge) {
        ChannelHandlerContext vertx = ((WebSocketInternal) socket).channelHandlerContext();
        vertx.pipeline().addBefore(vertx.name(), "openenv-frame-refusals", new FrameRefusals(tooLarge));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof CorruptedWebSocketFrameException refusal)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (refused) {
            return;
        }
        refused = true;
        WebSocketCloseStatus status = refusal.closeStatus();
        String reason = status.equals(WebSocketCloseStatus.MESSAGE_TOO_BIG) ? tooLarge : String.valueOf(refusal.getMessage());
        ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason))
                .addListener(written -> {
                    if (ctx.channel() instanceof DuplexChannel duplex) {
                        duplex.shutdownOutput();
                    } else {
                        ctx.close();
                    }
                });
        ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
    }
}
