package dev.spindle.core.text;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Runs user-supplied regular expressions against a time limit. {@code java.util.regex} backtracks, so a
 * pattern such as {@code (a+)+b} can take exponential time on a short text; here the engine reads the
 * text through a view that checks the clock (and the thread's interrupt flag) as it goes, so a match past
 * the deadline stops with {@code Timeout} instead of holding a thread.
 *
 * <p>One deadline can cover many matches (a search over many lines shares one); it counts reads across
 * all of them, so many short matches cannot slip under the check. Use it from one thread.
 */
public final class RegexDeadline {
    /** The clock is read once per this many characters read, which keeps the check cheap. */
    private static final int READS_PER_CHECK = 1024;

    private final Duration limit;
    private final long deadlineNanos;
    private int reads;

    private RegexDeadline(Duration limit) {
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    /** A deadline {@code limit} from now. */
    public static RegexDeadline in(Duration limit) {
        return new RegexDeadline(limit);
    }

    /** Compiles a user's regular expression; a syntax error is {@code InvalidArguments}, saying where. */
    public static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new SpindleException(ErrorType.InvalidArguments,
                    "Invalid regular expression: " + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        }
    }

    /** Whether {@code pattern} occurs in {@code text}. */
    public boolean find(Pattern pattern, CharSequence text) {
        try {
            return pattern.matcher(new Watched(text)).find();
        } catch (StackOverflowError e) {
            throw tooComplex(text);
        }
    }

    /** Whether {@code pattern} matches the whole of {@code text}. */
    public boolean matches(Pattern pattern, CharSequence text) {
        try {
            return pattern.matcher(new Watched(text)).matches();
        } catch (StackOverflowError e) {
            throw tooComplex(text);
        }
    }

    private void check() {
        if (System.nanoTime() - deadlineNanos > 0 || Thread.currentThread().isInterrupted()) {
            throw new SpindleException(ErrorType.Timeout, "The regular expression ran past its time limit of " + limit.toMillis()
                    + " ms; simplify it (avoid nested repetition such as (a+)+ or (a|aa)*)");
        }
    }

    // java.util.regex recurses per repetition: a long text can exhaust the stack
    private static SpindleException tooComplex(CharSequence text) {
        return new SpindleException(ErrorType.InvalidArguments, "The regular expression is too complex for a text of "
                + text.length() + " characters; simplify it (avoid nested repetition)");
    }

    /** The text as the regex engine sees it: every read counts towards the next clock check. */
    private final class Watched implements CharSequence {
        private final CharSequence text;

        Watched(CharSequence text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++reads % READS_PER_CHECK == 0) {
                check();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Watched(text.subSequence(start, end));
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
