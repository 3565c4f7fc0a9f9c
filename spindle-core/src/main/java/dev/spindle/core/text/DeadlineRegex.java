package dev.spindle.core.text;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Regular-expression search with a deadline. {@code java.util.regex} backtracks, so a pattern like
 * {@code ^(.*a){12}$} can take exponential time on a short input; the matcher reads its input through
 * {@link CharSequence#charAt}, so a wrapper that looks at the clock every few thousand reads stops it.
 */
public final class DeadlineRegex {
    private DeadlineRegex() {}

    /** {@code pattern.matcher(input).find()}, or {@code Timeout} once it has run longer than {@code limit}. */
    public static boolean find(Pattern pattern, CharSequence input, Duration limit) {
        return pattern.matcher(new Clocked(input, pattern, System.nanoTime() + limit.toNanos(), limit)).find();
    }

    /** The input, with a clock check every {@link #EVERY} character reads. */
    private static final class Clocked implements CharSequence {
        private static final int EVERY = 4096;
        private final CharSequence text;
        private final Pattern pattern;
        private final long deadline;
        private final Duration limit;
        private int reads;

        Clocked(CharSequence text, Pattern pattern, long deadline, Duration limit) {
            this.text = text;
            this.pattern = pattern;
            this.deadline = deadline;
            this.limit = limit;
        }

        @Override
        public char charAt(int index) {
            if (++reads == EVERY) {
                reads = 0;
                if (System.nanoTime() - deadline > 0) {
                    throw new SpindleException(ErrorType.Timeout, "The pattern '" + shown(pattern.pattern()) + "' ran past its " + limit.toMillis()
                            + " ms limit on a " + text.length() + "-character text; nested repetition like (.*a)* backtracks without end");
                }
            }
            return text.charAt(index);
        }

        private static String shown(String pattern) {
            return pattern.length() <= 120 ? pattern : pattern.substring(0, 120) + "...";
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Clocked(text.subSequence(start, end), pattern, deadline, limit);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
