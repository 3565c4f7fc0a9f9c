package dev.spindle.core.runtime;

import dev.spindle.core.store.SessionData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * A SHA-256 of a session's data: every namespace but the runtime's bookkeeping, in namespace then key
 * order, each name and value length-prefixed so that no two different states feed the same bytes.
 */
final class StateDigest {
    /** Namespaces that say how the session was used, not what it holds: creation and last-use times, the trace, the files' revision. */
    static final Set<String> BOOKKEEPING = Set.of(SessionMeta.NAMESPACE, StoredTrace.NS, dev.spindle.core.files.SessionFiles.REVISION);

    private StateDigest() {}

    static String of(SessionData data) {
        MessageDigest sha = sha256();
        for (String namespace : data.namespaces()) {
            if (BOOKKEEPING.contains(namespace)) {
                continue;
            }
            feed(sha, namespace.getBytes(StandardCharsets.UTF_8));
            var entries = data.entries(namespace);
            sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(entries.size()).array());
            entries.forEach((key, value) -> {
                feed(sha, key.getBytes(StandardCharsets.UTF_8));
                feed(sha, value);
            });
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void feed(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
