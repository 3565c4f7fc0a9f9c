package dev.spindle.env;

import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/** An assertion over one file of the session; {@code path} is its canonical key (the session's path policy applied). */
sealed interface FileAssertion extends Assertion {
    /** How much of a file's text a breakdown shows. */
    int PREVIEW_CHARS = 2_000;

    String path();

    @Override
    default String target() {
        return path();
    }

    static String preview(String text) {
        return text == null || text.length() <= PREVIEW_CHARS ? text
                : text.substring(0, PREVIEW_CHARS) + "... (" + text.length() + " characters)";
    }

    /** {@code exists: PATH}. */
    record Exists(String path) implements FileAssertion {
        public String kind() {
            return "exists";
        }

        public Finding check(Evidence evidence) {
            boolean found = evidence.files().containsKey(path);
            return Finding.of(found, "exists", found ? "exists" : "absent", found ? null : path + " does not exist");
        }
    }

    /** {@code absent: PATH}. */
    record Absent(String path) implements FileAssertion {
        public String kind() {
            return "absent";
        }

        public Finding check(Evidence evidence) {
            boolean found = evidence.files().containsKey(path);
            return Finding.of(!found, "absent", found ? "exists" : "absent", found ? path + " exists" : null);
        }
    }

    /** {@code equals: PATH, text: CONTENT}: the whole file. */
    record Equals(String path, String text) implements FileAssertion {
        public String kind() {
            return "equals";
        }

        public Finding check(Evidence evidence) {
            String actual = evidence.files().get(path);
            if (actual == null) {
                return Finding.of(false, preview(text), null, path + " does not exist");
            }
            boolean same = actual.equals(text);
            return Finding.of(same, preview(text), preview(actual), same ? null : path + " differs from line " + firstDifferentLine(text, actual));
        }

        private static int firstDifferentLine(String a, String b) {
            int line = 1;
            for (int i = 0; i < Math.min(a.length(), b.length()) && a.charAt(i) == b.charAt(i); i++) {
                line += a.charAt(i) == '\n' ? 1 : 0;
            }
            return line;
        }
    }

    /** {@code contains: PATH, text: SNIPPET}. */
    record Contains(String path, String text) implements FileAssertion {
        public String kind() {
            return "contains";
        }

        public Finding check(Evidence evidence) {
            String actual = evidence.files().get(path);
            boolean found = actual != null && actual.contains(text);
            return Finding.of(found, preview(text), preview(actual),
                    actual == null ? path + " does not exist" : found ? null : path + " does not contain the text");
        }
    }

    /** {@code unchanged: PATH}: as the task seeded it (absent if it seeded none). */
    record Unchanged(String path) implements FileAssertion {
        public String kind() {
            return "unchanged";
        }

        public Finding check(Evidence evidence) {
            String seeded = evidence.seeded().get(path);
            String actual = evidence.files().get(path);
            boolean same = seeded == null ? actual == null : seeded.equals(actual);
            String message = same ? null : seeded == null ? path + " was created" : actual == null ? path + " was deleted" : path + " was modified";
            return Finding.of(same, preview(seeded), preview(actual), message);
        }
    }

    /** {@code json_path: PATH, pointer: /a/0/b, value: JSON}: the file parsed as JSON, the value at an RFC 6901 pointer. */
    record JsonPathEquals(String path, JsonPointer pointer, JsonNode value) implements FileAssertion {
        public String kind() {
            return "json_path";
        }

        public Finding check(Evidence evidence) {
            String text = evidence.files().get(path);
            if (text == null) {
                return new Finding(false, value, null, path + " does not exist");
            }
            JsonNode document;
            try {
                document = Json.parse(text);
            } catch (SpindleException e) {
                return new Finding(false, value, Finding.text(preview(text)), path + " is not JSON: " + e.getMessage());
            }
            JsonNode actual = document.at(pointer);
            if (actual.isMissingNode()) {
                return new Finding(false, value, null, path + " has no value at " + pointer);
            }
            boolean same = JsonMatch.equal(value, actual);
            return new Finding(same, value, actual, same ? null : path + " has another value at " + pointer);
        }
    }
}
