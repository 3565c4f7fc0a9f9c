package dev.spindle.generator;

/** A topic a sample is about: a stable id (from its text) and the text, a path such as {@code APIs -> Auth -> Tokens}. */
public record Topic(String id, String text) {
    public static Topic of(String text) {
        return new Topic("t-" + Integer.toHexString(text.hashCode() & 0x7fffffff), text);
    }
}
