package dev.spindle.core.runtime;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import com.networknt.schema.regex.RegularExpressions;
import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.text.DeadlineRegex;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The schema validator's {@code pattern} and {@code patternProperties} through {@link DeadlineRegex}:
 * a tool's schema comes from whoever loaded it, and one backtracking pattern must not hold a thread.
 * All the patterns of one validation share one budget, so many array items cannot add up either.
 */
final class DeadlineRegularExpressions implements RegularExpressionFactory {
    private static final ThreadLocal<Long> DEADLINE = new ThreadLocal<>();
    private final Duration budget;

    DeadlineRegularExpressions(Duration budget) {
        this.budget = budget;
    }

    /** Runs one validation with its budget. */
    <T> T within(Supplier<T> validation) {
        DEADLINE.set(System.nanoTime() + budget.toNanos());
        try {
            return validation.get();
        } finally {
            DEADLINE.remove();
        }
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        // The same ECMAScript-to-Java rewriting as the validator's own JDK engine.
        Pattern pattern = Pattern.compile(RegularExpressions.replaceLongformCharacterProperties(RegularExpressions.replaceDollarAnchors(regex)));
        return input -> {
            try {
                return DeadlineRegex.find(pattern, input, remaining());
            } catch (SpindleException timeout) {
                throw new SpindleException(ErrorType.Timeout, "The inputSchema's pattern '" + regex + "' ran past the " + budget.toMillis()
                        + " ms allowed for checking one call's arguments (a " + input.length() + "-character value); nested repetition like (.*a)* backtracks without end");
            }
        };
    }

    private Duration remaining() {
        Long deadline = DEADLINE.get();
        return deadline == null ? budget : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
