package dev.spindle.core.text;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;

/**
 * Checks on text that arrives as JSON. A JSON string may carry a lone surrogate ({@code "\ud800"}),
 * which no UTF-8 byte sequence can represent: encoding it would silently store {@code ?}. Such text is
 * refused instead, naming where the bad character is.
 */
public final class Text {
    private Text() {}

    /** {@code text} itself when it is well-formed Unicode; {@code InvalidArguments} naming {@code what} and the position otherwise. */
    public static String wellFormed(String text, String what) {
        int at = loneSurrogate(text);
        if (at >= 0) {
            throw new SpindleException(ErrorType.InvalidArguments, what + " has a lone surrogate (U+" + Integer.toHexString(text.charAt(at)).toUpperCase()
                    + ") at character " + at + "; text must be valid Unicode (a \\uD800-\\uDFFF escape needs its pair)");
        }
        return text;
    }

    /** The bytes as text when they are UTF-8 text (valid, and no NUL byte, which text files do not hold); empty otherwise. */
    public static java.util.Optional<String> utf8(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return java.util.Optional.empty();
            }
        }
        try {
            return java.util.Optional.of(java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return java.util.Optional.empty();
        }
    }

    /** The index of the first surrogate that is not half of a pair, or -1. */
    public static int loneSurrogate(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
