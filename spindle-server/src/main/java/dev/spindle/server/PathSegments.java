package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
        if (part.indexOf('%') < 0) {
            return part;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
        int i = 0;
        while (i < part.length()) {
            int percent = part.indexOf('%', i);
            int end = percent < 0 ? part.length() : percent;
            bytes.writeBytes(part.substring(i, end).getBytes(StandardCharsets.UTF_8));
            if (percent < 0) {
                break;
            }
            int hi = percent + 2 < part.length() ? Character.digit(part.charAt(percent + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(part.charAt(percent + 2), 16) : -1;
            if (lo < 0) {
                throw new SpindleException(ErrorType.InvalidRequest, "Malformed percent-encoding in the request path");
            }
            bytes.write(hi * 16 + lo);
            i = percent + 3;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
