package dev.spindle.server;

import java.util.Locale;
import java.util.Set;

/**
 * The body types a route reads: JSON everywhere, and YAML too for a component's own operations (the
 * mock's {@code load-schema}). Any other type, or none, with a body answers 415: so a web page cannot
 * send its "simple" cross-origin requests ({@code text/plain}, forms), which browsers send without asking.
 */
record BodyTypes(Set<String> media, String expected) {
    static final BodyTypes JSON = new BodyTypes(Set.of("application/json"), "application/json");
    static final BodyTypes JSON_OR_YAML = new BodyTypes(Set.of("application/json", "application/yaml", "text/yaml", "application/x-yaml"),
            "application/json (or application/yaml)");

    boolean readable(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        return media.contains((semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT));
    }
}
