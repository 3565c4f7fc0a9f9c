package dev.spindle.generator;

import dev.spindle.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Appends records as JSONL, one whole line per write call under a lock, so records from concurrent
 * samples never interleave and a killed run leaves only whole lines. On resume a torn last line (a
 * crash mid-write, a full disk) is cut off, and the sample indices already written are returned.
 */
final class DatasetWriter implements AutoCloseable {
    private final FileChannel channel;

    private DatasetWriter(FileChannel channel) {
        this.channel = channel;
    }

    static DatasetWriter create(Path path) {
        try {
            if (path.toAbsolutePath().getParent() != null) {
                Files.createDirectories(path.toAbsolutePath().getParent());
            }
            return new DatasetWriter(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Opens an existing dataset for appending; fills {@code done} with the sample indices it holds. */
    static DatasetWriter resume(Path path, Set<Integer> done) {
        try {
            if (!Files.exists(path)) {
                return create(path);
            }
            byte[] bytes = Files.readAllBytes(path);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode index = Json.parse(line).path("metadata").path("sample_index");
                    if (index.isIntegralNumber()) {
                        done.add(index.asInt());
                    }
                }
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE);
            channel.truncate(end);
            channel.position(end);
            return new DatasetWriter(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume " + path + ": " + e.getMessage(), e);
        }
    }

    synchronized void write(JsonNode record) {
        byte[] line = (Json.write(record) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the dataset: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.force(false);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
