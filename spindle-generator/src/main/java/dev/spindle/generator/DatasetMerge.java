package dev.spindle.generator;

import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * {@code spindle merge}: joins the parts of a sharded run into one dataset in {@code metadata.sample_index}
 * order. Every part is read before anything is written: a duplicate index, a gap before the highest index,
 * or a line that is not a record is a {@link ConfigException} and the output is left untouched.
 */
public final class DatasetMerge {
    private DatasetMerge() {}

    /** Writes {@code out} from {@code parts}; answers the number of records. */
    public static int merge(Path out, List<Path> parts) {
        Map<Integer, String> lines = new TreeMap<>();
        Map<Integer, String> origins = new TreeMap<>();
        for (Path part : parts) {
            if (part.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new ConfigException(out + " is both the output and a part");
            }
            List<String> content = read(part);
            for (int i = 0; i < content.size(); i++) {
                String line = content.get(i);
                if (line.isBlank()) {
                    continue;
                }
                String where = part + ":" + (i + 1);
                int index = sampleIndex(line, where);
                String earlier = origins.putIfAbsent(index, where);
                if (earlier != null) {
                    throw new ConfigException("sample " + index + " is in both " + earlier + " and " + where + "; were two parts made with the same --shard?");
                }
                lines.put(index, line);
            }
        }
        int expected = 0;
        for (int index : lines.keySet()) {
            if (index != expected) {
                throw new ConfigException("no part holds sample " + expected + (index - expected > 1 ? " (to " + (index - 1) + ")" : "")
                        + "; is a part missing, or did a shard fail samples? (--resume it)");
            }
            expected++;
        }
        try {
            Files.write(out, lines.values(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        return lines.size();
    }

    private static List<String> read(Path part) {
        if (!Files.isReadable(part)) {
            throw new ConfigException(part + " cannot be read");
        }
        try {
            return Files.readAllLines(part, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + part + ": " + e.getMessage(), e);
        }
    }

    private static int sampleIndex(String line, String where) {
        JsonNode index;
        try {
            index = Json.parse(line).path("metadata").path("sample_index");
        } catch (SpindleException e) {
            throw new ConfigException(where + " is not a JSON record (a torn line? --resume the shard to repair it)");
        }
        if (!index.isIntegralNumber() || index.asInt() < 0) {
            throw new ConfigException(where + " has no metadata.sample_index: only records of spindle generate can be merged");
        }
        return index.asInt();
    }
}
