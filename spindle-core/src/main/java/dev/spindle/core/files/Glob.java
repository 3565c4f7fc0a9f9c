package dev.spindle.core.files;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Shell-style globs over session paths: {@code *} and {@code ?} stay within one name, {@code **} spans
 * directories, {@code [abc]}, {@code [a-z]}, {@code [!abc]} and {@code {a,b}} as usual. A glob without
 * {@code /} is matched against the file's name (like {@code find -name}); with one, against the whole
 * path from the session root.
 *
 * <p>A glob is compiled to a small automaton and run over all its states at once, so matching takes
 * time proportional to the path's length (times the glob's at worst), never exponential time (as
 * backtracking on {@code *a*a*a*a*b} does). A matcher is for one thread: it caches as it goes.
 */
public final class Glob {
    /** Longer globs are refused: matching time grows with the glob's length. */
    public static final int MAX_LENGTH = 256;

    private static final IntPredicate ANY = c -> true;
    private static final IntPredicate IN_NAME = c -> c != '/';

    private Glob() {}

    public static Predicate<String> matcher(String glob) {
        if (glob.length() > MAX_LENGTH) {
            throw new SpindleException(ErrorType.InvalidArguments,
                    "Invalid glob: it is " + glob.length() + " characters long; the limit is " + MAX_LENGTH);
        }
        String trimmed = glob.startsWith("/") ? glob.substring(1) : glob;
        boolean wholePath = trimmed.contains("/");
        Automaton automaton = Automaton.of(new Parser(trimmed).glob());
        return key -> automaton.matches(wholePath ? key : key.substring(key.lastIndexOf('/') + 1));
    }

    /** A glob, parsed: a sequence of these. */
    private sealed interface Part {}

    /** Exactly one character that {@code accepts}. */
    private record One(IntPredicate accepts) implements Part {}

    /** Any number of characters that {@code accepts}. */
    private record Many(IntPredicate accepts) implements Part {}

    /** One of several sequences ({@code {a,b}}). */
    private record Either(List<List<Part>> options) implements Part {}

    private static final class Parser {
        private final String glob;
        private int at;

        Parser(String glob) {
            this.glob = glob;
        }

        /** Outside braces, {@code ,} and {@code }} are ordinary characters. */
        List<Part> glob() {
            return sequence(false);
        }

        /** Parts up to the end, or (inside braces) up to the next {@code ,} or {@code }}. */
        private List<Part> sequence(boolean inBraces) {
            List<Part> parts = new ArrayList<>();
            while (at < glob.length()) {
                int c = glob.codePointAt(at);
                if (inBraces && (c == ',' || c == '}')) {
                    return parts;
                }
                at += Character.charCount(c);
                switch (c) {
                    case '*' -> parts.add(star());
                    case '?' -> parts.add(new One(IN_NAME));
                    case '[' -> parts.add(new One(set()));
                    case '{' -> parts.add(alternatives());
                    default -> parts.add(new One(x -> x == c));
                }
            }
            return parts;
        }

        /** {@code *} within a name; {@code **} across directories; {@code **}{@code /} zero or more whole directories. */
        private Part star() {
            if (!glob.startsWith("*", at)) {
                return new Many(IN_NAME);
            }
            at++;
            if (glob.startsWith("/", at)) {
                at++;
                return new Either(List.of(List.of(), List.of(new Many(ANY), new One(x -> x == '/'))));
            }
            return new Many(ANY);
        }

        private Part alternatives() {
            List<List<Part>> options = new ArrayList<>();
            while (true) {
                options.add(sequence(true));
                if (at >= glob.length()) {
                    throw invalid("'{' without '}'");
                }
                if (glob.charAt(at++) == '}') {
                    return new Either(options);
                }
            }
        }

        /** {@code [abc]}, {@code [a-z]}, {@code [!a-z]} or {@code [^a-z]}; never matches {@code /}. */
        private IntPredicate set() {
            boolean negated = at < glob.length() && (glob.charAt(at) == '!' || glob.charAt(at) == '^');
            at += negated ? 1 : 0;
            List<int[]> ranges = new ArrayList<>();
            while (at < glob.length() && glob.charAt(at) != ']') {
                int low = glob.codePointAt(at);
                if (low == '[') {
                    throw invalid("'[' inside a set; sets do not nest");
                }
                at += Character.charCount(low);
                int high = low;
                if (at + 1 < glob.length() && glob.charAt(at) == '-' && glob.charAt(at + 1) != ']') {
                    high = glob.codePointAt(at + 1);
                    at += 1 + Character.charCount(high);
                    if (high < low) {
                        throw invalid("the range " + Character.toString(low) + "-" + Character.toString(high) + " is backwards");
                    }
                }
                ranges.add(new int[] {low, high});
            }
            if (at >= glob.length()) {
                throw invalid("'[' without ']'");
            }
            at++;
            if (ranges.isEmpty()) {
                throw invalid("an empty set '[]'");
            }
            return c -> c != '/' && negated != ranges.stream().anyMatch(r -> r[0] <= c && c <= r[1]);
        }

        private SpindleException invalid(String why) {
            return new SpindleException(ErrorType.InvalidArguments, "Invalid glob '" + glob + "': " + why);
        }
    }

    /**
     * A Thompson automaton: each state either reads one character ({@code step}, then {@code next}) or
     * moves on without reading ({@code free}). State 0 accepts. It runs as a DFA built lazily: each set
     * of live states is made once and remembers where each character leads, so a path costs one table
     * look-up per character once the glob is warm. The cache is bounded (a glob such as {@code *a????????}
     * has exponentially many sets); past it, sets are made afresh, which is the plain simulation.
     */
    private static final class Automaton {
        private static final int MAX_SETS = 1024;
        private static final int MAX_EDGES_PER_SET = 128;

        private final List<IntPredicate> steps = new ArrayList<>();
        private final List<Integer> nexts = new ArrayList<>();
        private final List<int[]> free = new ArrayList<>();
        private final Map<BitSet, Live> cache = new HashMap<>();
        private Live start;

        static Automaton of(List<Part> parts) {
            Automaton automaton = new Automaton();
            int accept = automaton.state(null, -1);
            BitSet first = new BitSet();
            automaton.enter(first, automaton.sequence(parts, accept));
            automaton.start = automaton.live(first);
            return automaton;
        }

        /** Built from the end backwards, so that every part already knows the state that follows it. */
        private int sequence(List<Part> parts, int next) {
            for (int i = parts.size() - 1; i >= 0; i--) {
                next = part(parts.get(i), next);
            }
            return next;
        }

        private int part(Part part, int next) {
            return switch (part) {
                case One one -> state(one.accepts(), next);
                case Many many -> {
                    int loop = state(null, -1);
                    free.set(loop, new int[] {state(many.accepts(), loop), next});
                    yield loop;
                }
                case Either either -> {
                    int fork = state(null, -1);
                    free.set(fork, either.options().stream().mapToInt(option -> sequence(option, next)).toArray());
                    yield fork;
                }
            };
        }

        private int state(IntPredicate step, int next) {
            steps.add(step);
            nexts.add(next);
            free.add(new int[0]);
            return steps.size() - 1;
        }

        boolean matches(String text) {
            Live current = start;
            for (int i = 0; i < text.length() && !current.states.isEmpty(); ) {
                int c = text.codePointAt(i);
                i += Character.charCount(c);
                current = current.after(c);
            }
            return current.states.get(0);
        }

        private Live live(BitSet states) {
            Live known = cache.get(states);
            if (known != null) {
                return known;
            }
            Live made = new Live(states);
            if (cache.size() < MAX_SETS) {
                cache.put(states, made);
            }
            return made;
        }

        /** Adds a state and every state reachable from it without reading. */
        private void enter(BitSet states, int state) {
            if (!states.get(state)) {
                states.set(state);
                for (int target : free.get(state)) {
                    enter(states, target);
                }
            }
        }

        /** A set of live automaton states, and where each character read from it leads. */
        private final class Live {
            final BitSet states;
            private final Map<Integer, Live> after = new HashMap<>();

            Live(BitSet states) {
                this.states = states;
            }

            Live after(int c) {
                Live known = after.get(c);
                if (known == null) {
                    BitSet following = new BitSet();
                    for (int s = states.nextSetBit(0); s >= 0; s = states.nextSetBit(s + 1)) {
                        if (steps.get(s) != null && steps.get(s).test(c)) {
                            enter(following, nexts.get(s));
                        }
                    }
                    known = live(following);
                    if (after.size() < MAX_EDGES_PER_SET) {
                        after.put(c, known);
                    }
                }
                return known;
            }
        }
    }
}
