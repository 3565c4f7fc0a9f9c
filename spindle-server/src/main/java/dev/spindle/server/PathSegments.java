package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.util.ArrayList;
import java.util.List;

/** Splits a raw request path into percent-decoded segments ({@code +} stays a plus: this is a path). */
final class PathSegments {
    private PathSegments() {}

    static List<String> of(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                segments.add(decode(part));
            }
        }
        return segments;
    }

    private static String decode(String part) {
        try {
            return PercentDecoding.decode(part);
        } catch (PercentDecoding.Malformed e) {
            throw new SpindleException(ErrorType.InvalidRequest,
                    "Malformed percent-encoding in the request path: an escape is % and two hex digits, and escapes decode to UTF-8");
        }
    }
}
