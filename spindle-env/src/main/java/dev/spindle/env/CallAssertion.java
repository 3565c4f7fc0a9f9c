package dev.spindle.env;

import dev.spindle.core.TraceEntry;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * An assertion over the calls the session made, from its trace: a call matches when it names the tool (and
 * the component, if given) and its arguments contain {@code args} ({@link JsonMatch#subset}). The trace
 * keeps arguments up to about 16 KiB of JSON each and the last calls only: when it dropped calls, an
 * assertion that needs them all fails rather than guess.
 */
sealed interface CallAssertion extends Assertion {
    /** What calls to count: a tool, optionally its component and a subset of its arguments. */
    record Match(String tool, String component, JsonNode args) implements Predicate<TraceEntry> {
        @Override
        public boolean test(TraceEntry call) {
            return tool.equals(call.tool()) && (component == null || component.equals(call.component()))
                    && (args == null || call.args() != null && JsonMatch.subset(args, call.args()));
        }

        String described() {
            return tool + (args == null ? "" : " with " + args);
        }
    }

    Match match();

    @Override
    default String target() {
        return match().tool();
    }

    /** Matching calls that succeeded ({@code failed} false) or that were attempted at all ({@code failed} true). */
    static long count(Evidence evidence, Match match, boolean failedToo) {
        return evidence.trace().calls().stream().filter(c -> (failedToo || c.success()) && match.test(c)).count();
    }

    static String dropped(Evidence evidence) {
        long dropped = evidence.trace().dropped();
        return dropped == 0 ? null : "the trace dropped " + dropped + " older calls, so they cannot be counted";
    }

    /** {@code called: TOOL, args?, times?}: at least {@code times} (default 1) successful matching calls. */
    record Called(Match match, int times) implements CallAssertion {
        public String kind() {
            return "called";
        }

        public Finding check(Evidence evidence) {
            long seen = count(evidence, match, false);
            boolean passed = seen >= times;
            return Finding.of(passed, "at least " + times + " successful call(s) of " + match.described(), seen + " call(s)",
                    passed ? null : "expected " + match.described() + " to be called successfully" + (times == 1 ? "" : " " + times + " times"));
        }
    }

    /** {@code at_most: TOOL, times: N, args?}: no more than N successful matching calls. */
    record AtMost(Match match, int times) implements CallAssertion {
        public String kind() {
            return "at_most";
        }

        public Finding check(Evidence evidence) {
            String dropped = dropped(evidence);
            long seen = count(evidence, match, false);
            boolean passed = dropped == null && seen <= times;
            return Finding.of(passed, "at most " + times + " successful call(s) of " + match.described(), seen + " call(s)",
                    dropped != null ? dropped : passed ? null : match.described() + " was called " + seen + " times");
        }
    }

    /** {@code never_called: TOOL, args?}: no matching call at all, not even one that failed (a minefield). */
    record NeverCalled(Match match) implements CallAssertion {
        public String kind() {
            return "never_called";
        }

        public Finding check(Evidence evidence) {
            String dropped = dropped(evidence);
            long seen = count(evidence, match, true);
            boolean passed = dropped == null && seen == 0;
            return Finding.of(passed, "no call of " + match.described(), seen + " call(s)",
                    dropped != null ? dropped : passed ? null : match.described() + " was called " + seen + " times");
        }
    }
}
