package dev.spindle.core.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A program's stdout or stderr, kept up to a cap: the rest is dropped (a print loop must not fill the
 * heap before its timeout) and the text ends with a marker saying how much was.
 */
public final class CappedOutput extends ByteArrayOutputStream {
    public static final int DEFAULT_CAP = 64 * 1024;

    private final int cap;
    private long dropped;

    public CappedOutput(int cap) {
        this.cap = cap;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int kept = Math.max(0, Math.min(len, cap - count));
        super.write(b, off, kept);
        dropped += len - kept;
    }

    /** The output as text (invalid UTF-8 replaced), with the truncation marker when something was dropped. */
    public synchronized String text() {
        String text = toString(StandardCharsets.UTF_8);
        return dropped == 0 ? text : text + "\n[output truncated: " + dropped + " more bytes]";
    }
}
