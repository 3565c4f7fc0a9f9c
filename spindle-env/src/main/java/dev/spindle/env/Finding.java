package dev.spindle.env;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/** What one assertion found: passed or not, what it expected, what it saw, and a sentence on why. */
record Finding(boolean passed, JsonNode expected, JsonNode actual, String message) {

    static Finding of(boolean passed, String expected, String actual, String message) {
        return new Finding(passed, text(expected), text(actual), message);
    }

    static JsonNode text(String value) {
        return value == null ? null : StringNode.valueOf(value);
    }
}
