package dev.spindle.server.openenv;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a plain TCP socket that writes whatever frame bytes it is given (lying lengths,
 * unmasked frames, bad UTF-8...), which no real client library sends; it asserts nothing.
 */
final class RawSocket implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CONTINUATION = 0x0;
    static final int PING = 0x9;
    /** What {@link #closeCode} answers when the connection ended, or went quiet, without a close frame. */
    static final int NO_CLOSE_FRAME = -1;

    private final Socket socket;
    private final DataInputStream in;

    RawSocket(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nhost: 127.0.0.1\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
                    + "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            in = new DataInputStream(socket.getInputStream());
            String head = readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IllegalStateException("the upgrade was refused: " + head);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One frame, masked as a client's must be unless {@code masked} is false; {@code firstByte} holds FIN, RSV and the opcode. */
    void frame(int firstByte, byte[] payload, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        header(out, payload.length, masked);
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        if (masked) {
            out.writeBytes(mask);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ mask[i % 4] : payload[i]);
        }
        write(out.toByteArray());
    }

    /** A final frame of this opcode. */
    void frame(int opcode, byte[] payload) {
        frame(0x80 | opcode, payload, true);
    }

    /** Only the header of a masked frame announcing {@code length} bytes, none of which follow. */
    void announce(int firstByte, long length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        header(out, length, true);
        out.writeBytes(new byte[] {1, 2, 3, 4});
        write(out.toByteArray());
    }

    /** The length in the shortest form; a negative one (a lie) in the 64-bit form. */
    private static void header(ByteArrayOutputStream out, long length, boolean masked) {
        int mask = masked ? 0x80 : 0;
        if (length >= 0 && length < 126) {
            out.write(mask | (int) length);
        } else if (length >= 0 && length <= 0xffff) {
            out.write(mask | 126);
            out.write((int) (length >> 8));
            out.write((int) length);
        } else {
            out.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (length >> shift));
            }
        }
    }

    private void write(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads frames until a close frame and answers its status code, or {@link #NO_CLOSE_FRAME}. */
    int closeCode() {
        try {
            while (true) {
                int first = in.readUnsignedByte();
                long length = in.readUnsignedByte() & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                if ((first & 0x0f) == 0x8) {
                    return payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : NO_CLOSE_FRAME;
                }
            }
        } catch (EOFException | SocketTimeoutException ended) {
            return NO_CLOSE_FRAME;
        } catch (IOException e) {
            return NO_CLOSE_FRAME; // reset by the server
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test's socket
        }
    }
}
