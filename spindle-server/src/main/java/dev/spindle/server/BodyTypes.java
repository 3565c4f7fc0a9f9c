package dev.spindle.server;

import java.util.Locale;
import java.util.Set;

/**
 * The body types the routes read: JSON everywhere, and YAML too for a component's own operations (the
 * mock's {@code load-schema}). Any other type, or none, with a body answers 415: so a web page cannot
 * send its "simple" cross-origin requests ({@code text/plain}, forms), which browsers send without asking.
 */
final class BodyTypes {
    private static final Set<String> JSON = Set.of("application/json");
    private static final Set<String> JSON_OR_YAML = Set.of("application/json", "application/yaml", "text/yaml", "application/x-yaml");

    private BodyTypes() {}

    static boolean readable(String contentType, boolean operation) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return (operation ? JSON_OR_YAML : JSON).contains(media);
    }

    static String expected(boolean operation) {
        return operation ? "application/json (or application/yaml)" : "application/json";
    }
}
