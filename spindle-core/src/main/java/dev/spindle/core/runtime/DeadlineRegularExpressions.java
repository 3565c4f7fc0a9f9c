package dev.spindle.core.runtime;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import com.networknt.schema.regex.RegularExpressions;
import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.text.RegexDeadline;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The schema validator's {@code pattern} and {@code patternProperties} through {@link RegexDeadline}:
 * a tool's schema comes from whoever loaded it, and one backtracking pattern must not hold a thread.
 * All the patterns of one validation share one budget, so many array items cannot add up either.
 */
final class DeadlineRegularExpressions implements RegularExpressionFactory {
    private static final ThreadLocal<RegexDeadline> DEADLINE = new ThreadLocal<>();
    private final Duration budget;

    DeadlineRegularExpressions(Duration budget) {
        this.budget = budget;
    }

    /** Runs one validation with its budget. */
    <T> T within(Supplier<T> validation) {
        DEADLINE.set(RegexDeadline.in(budget));
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
                return deadline().find(pattern, input);
            } catch (SpindleException timeout) {
                if (timeout.type() != ErrorType.Timeout) {
                    throw timeout;
                }
                throw new SpindleException(ErrorType.Timeout, "The inputSchema's pattern '" + regex + "' ran past the " + budget.toMillis()
                        + " ms allowed for checking one call's arguments (a " + input.length() + "-character value); nested repetition like (.*a)* backtracks without end");
            }
        };
    }

    private RegexDeadline deadline() {
        RegexDeadline deadline = DEADLINE.get();
        return deadline == null ? RegexDeadline.in(budget) : deadline;
    }
}
