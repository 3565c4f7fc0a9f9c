package dev.spindle.env;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * What one assertion found: its score (1 passed, 0 failed, between them the share of a test suite that
 * passed), what it expected, what it saw, and a sentence on why.
 */
record Finding(double score, JsonNode expected, JsonNode actual, String message) {

    Finding(boolean passed, JsonNode expected, JsonNode actual, String message) {
        this(passed ? 1 : 0, expected, actual, message);
    }

    boolean passed() {
        return score >= 1;
    }

    static Finding of(boolean passed, String expected, String actual, String message) {
        return new Finding(passed, text(expected), text(actual), message);
    }

    static JsonNode text(String value) {
        return value == null ? null : StringNode.valueOf(value);
    }
}
