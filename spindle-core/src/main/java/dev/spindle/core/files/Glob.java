package dev.spindle.core.files;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Shell-style globs over session paths: {@code *} and {@code ?} stay within one name, {@code **} spans
 * directories, {@code [abc]} and {@code {a,b}} as usual. A glob without {@code /} is matched against the
 * file's name (like {@code find -name}); with one, against the whole path from the session root.
 */
public final class Glob {
    private Glob() {}

    public static Predicate<String> matcher(String glob) {
        String trimmed = glob.startsWith("/") ? glob.substring(1) : glob;
        boolean wholePath = trimmed.contains("/");
        Pattern pattern = Pattern.compile(toRegex(trimmed));
        return key -> pattern.matcher(wholePath ? key : key.substring(key.lastIndexOf('/') + 1)).matches();
    }

    private static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        int braces = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                        regex.append(slashAfter ? "(?:.*/)?" : ".*");
                        i += slashAfter ? 2 : 1;
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
                case '[' -> {
                    int close = glob.indexOf(']', i + 1);
                    if (close < 0) {
                        throw new SpindleException(ErrorType.InvalidArguments, "Invalid glob '" + glob + "': '[' without ']'");
                    }
                    String set = glob.substring(i + 1, close).replace("\\", "\\\\");
                    regex.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
                    i = close;
                }
                case '{' -> {
                    braces++;
                    regex.append("(?:");
                }
                case '}' -> {
                    if (braces == 0) {
                        regex.append("\\}");
                    } else {
                        braces--;
                        regex.append(')');
                    }
                }
                case ',' -> regex.append(braces > 0 ? "|" : ",");
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (braces > 0) {
            throw new SpindleException(ErrorType.InvalidArguments, "Invalid glob '" + glob + "': '{' without '}'");
        }
        return regex.toString();
    }
}
