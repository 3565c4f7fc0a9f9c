package dev.spindle.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The server's {@code --token}, compared in constant time with a request's {@code Authorization} header. */
final class BearerToken {
    private final byte[] expected;

    BearerToken(String token) {
        this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** True when no token is set, or the header carries it. */
    boolean admits(String authorization) {
        return expected == null || authorization != null && MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8));
    }
}
