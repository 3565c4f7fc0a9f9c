package dev.spindle.server.openenv;

import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.node.ObjectNode;

/**
 * One {@code /ws} connection: one slot, whose episode a reset opens (and a new reset replaces), ended when the
 * socket closes. Frames are answered one at a time, in order: the socket is paused while a frame is handled,
 * on a worker (episodes touch the store and run tools). A tool call past the tool timeout is answered
 * {@code timeout} at once; the call itself ends in the background. A message over the size limit, in one frame
 * or in fragments, closes the socket with 1009, and a malformed frame with the status RFC 6455 gives it, as
 * OpenEnv's server does: its client then fails at once instead of waiting for an answer.
 */
final class EpisodeSocket {
    private static final Logger LOG = Logger.getLogger(EpisodeSocket.class.getName());

    private final ServerWebSocket socket;
    private final Context context;
    private final Episodes episodes;
    private final EnvRpc rpc;
    private final OpenEnv.Workers workers;
    private final EnvConfig config;
    private final int maxMessageBytes;
    /** Set and read by the frame being handled (one at a time), read by the close handler. */
    private volatile Episodes.Slot slot;
    private volatile boolean closed;

    EpisodeSocket(ServerWebSocket socket, Episodes episodes, EnvRpc rpc, OpenEnv.Workers workers, EnvConfig config, int maxMessageBytes) {
        this.socket = socket;
        this.context = Vertx.currentContext();
        this.episodes = episodes;
        this.rpc = rpc;
        this.workers = workers;
        this.config = config;
        this.maxMessageBytes = maxMessageBytes;
    }

    void start() {
        BoundedMessages messages = new BoundedMessages(maxMessageBytes, this::received, this::refuse);
        socket.frameHandler(messages);
        FrameRefusals.install(socket, messages.tooLarge());
        socket.exceptionHandler(e -> LOG.log(Level.FINE, "event=openenv_socket_failed", e));
        socket.closeHandler(v -> ended());
    }

    /** Closes the socket with this status; the close handler ends the episode. */
    private void refuse(WebSocketCloseStatus status, String reason) {
        if (!socket.isClosed()) {
            socket.close((short) status.code(), reason);
        }
    }

    /** On the event loop: checks the frame, then handles it on a worker, the socket paused until it is answered. */
    private void received(String text) {
        socket.pause();
        Frame frame;
        Action action;
        try {
            frame = Frame.parse(text);
            action = frame.type().equals(Frame.STEP) ? Action.parse(frame.data()) : null;
        } catch (FrameError e) {
            new Reply().send(Frame.error(e), false);
            return;
        } catch (Throwable e) { // a bug: answered all the same, or the paused socket would wait for ever
            new Reply().send(internalError("unread", e), false);
            return;
        }
        if (frame.type().equals(Frame.CLOSE)) {
            socket.close(); // the close handler ends the session
            return;
        }
        Reply reply = new Reply();
        if (!workers.submit(() -> reply.sendFromWorker(handle(frame, action)))) {
            reply.send(Frame.error(new FrameError(ErrorCode.EXECUTION_ERROR, "The server is overloaded; retry the message shortly")), false);
            return;
        }
        if (action instanceof Action.CallTool call) {
            long timer = context.owner().setTimer(config.toolTimeout().toMillis(), id -> reply.send(timedOut(call.toolName()), false));
            reply.timer = timer;
        }
    }

    private ObjectNode timedOut(String tool) {
        ObjectNode data = Json.object();
        data.set("observation", CallOutcome.failed(tool, ToolErrorTypes.TIMEOUT, "Tool '" + tool + "' timed out after "
                + config.toolTimeout().toSeconds() + " seconds").observation());
        return Frame.out("observation", data.putNull("reward").put("done", false));
    }

    /** On a worker: the answer to one frame. */
    private Answer handle(Frame frame, Action action) {
        try {
            return new Answer(switch (frame.type()) {
                case Frame.RESET -> Frame.out("observation", reset(ResetRequest.parse(frame.data())).started());
                case Frame.STEP -> Frame.out("observation", episode().step(action));
                case Frame.STATE -> Frame.out("state", episode().state());
                default -> Frame.out("mcp", rpc.answer(frame.data(), episode()));
            }, false);
        } catch (FrameError e) {
            return new Answer(Frame.error(e), e.code.endsSession);
        } catch (SpindleException e) {
            return new Answer(Frame.error(FrameError.of(e)), false);
        } catch (Throwable e) { // an Error too: the frame is answered, the socket reads on
            return new Answer(internalError(frame.type(), e), false);
        } finally {
            if (slot != null) {
                slot.touch();
            }
        }
    }

    /** The answer to a frame a bug kept from completing, logged with its stack. */
    private static ObjectNode internalError(String type, Throwable bug) {
        LOG.log(Level.WARNING, "event=openenv_frame_failed type=" + type, bug);
        return Frame.error(new FrameError(ErrorCode.EXECUTION_ERROR, "Internal error; the message was not completed"));
    }

    private Episode reset(ResetRequest request) {
        if (slot == null) {
            slot = episodes.acquire(socket::close);
        }
        Episode episode = episodes.reset(slot, request);
        if (closed) { // the socket closed while the episode opened: nobody else will release it
            episodes.release(slot);
        }
        return episode;
    }

    /** The current episode; a step, state or mcp frame before any reset opens a bare sandbox first. */
    private Episode episode() {
        Episode episode = slot == null ? null : slot.episode();
        return episode != null ? episode : reset(ResetRequest.BARE);
    }

    private void ended() {
        closed = true;
        Episodes.Slot ending = slot;
        if (ending != null) {
            context.executeBlocking(() -> {
                episodes.release(ending);
                return null;
            }, false).onFailure(e -> LOG.log(Level.WARNING, "event=openenv_release_failed", e));
        }
    }

    private record Answer(ObjectNode frame, boolean close) {}

    /** The one answer to a frame: the first of the worker's and the timeout's is sent, then the socket reads on. */
    private final class Reply {
        private final AtomicBoolean sent = new AtomicBoolean();
        volatile long timer = -1;

        void sendFromWorker(Answer answer) {
            context.runOnContext(v -> send(answer.frame(), answer.close()));
        }

        void send(ObjectNode frame, boolean close) {
            if (!sent.compareAndSet(false, true)) {
                return;
            }
            if (timer >= 0) {
                context.owner().cancelTimer(timer);
            }
            if (socket.isClosed()) {
                return;
            }
            socket.writeTextMessage(Json.write(frame));
            if (close) {
                socket.close();
            } else {
                socket.resume();
            }
        }
    }
}
