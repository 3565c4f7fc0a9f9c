package dev.spindle.env;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/** What one assertion found: passed or not, what it expected, what it saw, and a sentence on why. */
record Outcome(boolean passed, JsonNode expected, JsonNode actual, String message) {

    static Outcome of(boolean passed, String expected, String actual, String message) {
        return new Outcome(passed, text(expected), text(actual), message);
    }

    static JsonNode text(String value) {
        return value == null ? null : StringNode.valueOf(value);
    }
}
