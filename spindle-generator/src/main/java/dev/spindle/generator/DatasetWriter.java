package dev.spindle.generator;

import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
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

    /** Creates or empties the dataset, once no other run writes it. */
    static DatasetWriter create(Path path) {
        try {
            FileChannel channel = openLocked(path);
            channel.truncate(0);
            return new DatasetWriter(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** Opens a dataset for appending, once no other run writes it; fills {@code done} with the sample indices it holds. */
    static DatasetWriter resume(Path path, Set<Integer> done) {
        try {
            FileChannel channel = openLocked(path);
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
            channel.truncate(end);
            channel.position(end);
            return new DatasetWriter(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume " + path + ": " + e.getMessage(), e);
        }
    }

    /** True when the file holds at least one line with content: an empty one (a run that wrote nothing) may be reused. */
    static boolean holdsRecords(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        try (BufferedReader lines = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    return true;
                }
            }
            return false;
        } catch (IOException | UncheckedIOException e) {
            return true; // unreadable is not provably empty: keep it
        }
    }

    /**
     * The dataset opened for writing under an exclusive lock held until {@link #close}, so a second run
     * on the same file is refused instead of interleaving with (or truncating) the first.
     */
    private static FileChannel openLocked(Path path) throws IOException {
        if (path.toAbsolutePath().getParent() != null) {
            Files.createDirectories(path.toAbsolutePath().getParent());
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new ConfigException("output.save_as: " + path + " is being written by another spindle generate; wait for it to finish, or write elsewhere with --output");
        }
        return channel;
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
