package dev.spindle.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding that refuses what a lenient decoder quietly changes: an escape that is not {@code %} and two
 * hex digits, and escaped bytes that are not UTF-8 (which would all become U+FFFD, so that two different ids
 * would name one session). {@code +} stays a plus.
 */
final class PercentDecoding {
    private PercentDecoding() {}

    /** Thrown for text that cannot be decoded; the caller says where it was. */
    static final class Malformed extends IllegalArgumentException {
        Malformed() {
            super(null, null);
        }
    }

    static String decode(String encoded) {
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            int percent = encoded.indexOf('%', i);
            int end = percent < 0 ? encoded.length() : percent;
            bytes.writeBytes(encoded.substring(i, end).getBytes(StandardCharsets.UTF_8));
            if (percent < 0) {
                break;
            }
            int hi = percent + 2 < encoded.length() ? Character.digit(encoded.charAt(percent + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(encoded.charAt(percent + 2), 16) : -1;
            if (lo < 0) {
                throw new Malformed();
            }
            bytes.write(hi * 16 + lo);
            i = percent + 3;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException notUtf8) {
            throw new Malformed();
        }
    }
}
