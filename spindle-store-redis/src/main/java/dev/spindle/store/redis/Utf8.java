package dev.spindle.store.redis;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Redis speaks bytes; Spindle's sessions, namespaces and keys are strings. */
final class Utf8 {
    private Utf8() {}

    static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    static String string(byte[] bytes) {
        return new String(bytes, UTF_8);
    }
}
