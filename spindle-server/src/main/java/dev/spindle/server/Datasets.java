package dev.spindle.server;

import dev.spindle.core.ErrorType;
import dev.spindle.core.HttpError;
import dev.spindle.core.SpindleException;
import dev.spindle.core.files.FileTree;
import dev.spindle.core.files.Quotas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JSONL datasets the web console may open: the {@code .jsonl} files directly inside the server's
 * {@code --datasets} folder that hold conversations (see {@link ConversationFiles}), and uploads, kept in a private temporary folder until the server stops. A
 * name is only ever looked up among those files, never resolved as a path, so no name reaches another file.
 */
final class Datasets implements AutoCloseable {
    static final String UPLOAD_PREFIX = "upload:";
    /** Larger files are listed but not opened: scanning them would hold a worker too long. */
    static final long MAX_DATASET_BYTES = 256L << 20;
    static final long MAX_SUMMARY_BYTES = 1 << 20;
    private static final int MAX_UPLOADS = 8;
    private static final int INDEXES_KEPT = 8;
    /** Only the folder's own files are datasets; a folder of more entries is refused rather than listed for ever. */
    private static final FileTree.Rules LISTING = FileTree.Rules.within(new Quotas(Long.MAX_VALUE, 100_000, Long.MAX_VALUE)).withMaxDepth(1);
    private static final Pattern UPLOAD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Path dir;
    private Path uploads;
    private final Map<String, DatasetIndex> indexes = new LinkedHashMap<>(16, 0.75f, true);

    /** A dataset as listed: {@code upload:NAME} for an upload. */
    record Listed(String name, Path file, long bytes, boolean summary) {}

    Datasets(Path dir) {
        this.dir = dir;
    }

    /** The folder's datasets by name, then the uploads, oldest first: the JSONL files that hold conversations. */
    synchronized List<Listed> list() {
        return candidates().stream().filter(d -> ConversationFiles.holdsConversations(d.file)).toList();
    }

    /** The JSONL files, datasets or not. */
    private List<Listed> candidates() {
        List<Listed> listed = new ArrayList<>();
        if (dir != null) {
            jsonl(dir).forEach(file -> listed.add(listed(file.getFileName().toString(), file)));
        }
        if (uploads != null) {
            jsonl(uploads).sorted(Comparator.comparing(Datasets::modified)).forEach(file -> listed.add(listed(UPLOAD_PREFIX + file.getFileName(), file)));
        }
        return listed;
    }

    private static Listed listed(String name, Path file) {
        return new Listed(name, file, size(file), regular(summaryOf(file)));
    }

    /** A plain file, not a symbolic link (which could lead out of the folder). */
    static boolean regular(Path file) {
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    /** The folder's own {@code .jsonl} regular files, walked as a {@link FileTree}: no link followed, no FIFO opened. */
    private static Stream<Path> jsonl(Path folder) {
        try {
            FileTree tree = FileTree.walk(folder, "The datasets folder", LISTING);
            return tree.files().stream().filter(f -> f.path().endsWith(".jsonl")).map(f -> tree.root().resolve(f.path())).toList().stream();
        } catch (IOException e) {
            throw new SpindleException(ErrorType.IOError, "cannot list the datasets folder: " + e.getMessage());
        }
    }

    /**
     * {@code NAME.jsonl}'s run summary: {@code NAME.summary.json} beside it, as {@code spindle generate} writes it;
     * for an eval's {@code results.jsonl}, the {@code eval.summary.json} beside it.
     */
    static Path summaryOf(Path dataset) {
        String name = dataset.getFileName().toString();
        Path eval = dataset.resolveSibling("eval.summary.json");
        if (name.equals("results.jsonl") && regular(eval)) {
            return eval;
        }
        return dataset.resolveSibling(name.substring(0, name.length() - ".jsonl".length()) + ".summary.json");
    }

    /** The listed dataset of that name; {@code NotFound} for any other name. */
    synchronized Listed find(String name) {
        for (Listed listed : candidates()) {
            if (listed.name.equals(name) && ConversationFiles.holdsConversations(listed.file)) {
                return listed;
            }
        }
        throw new SpindleException(HttpError.NotFound, "No dataset named '" + name + "'; GET /datasets lists them");
    }

    /** The dataset scanned, from the cache while its file is unchanged. */
    DatasetIndex index(String name) {
        Listed listed = find(name);
        if (listed.bytes > MAX_DATASET_BYTES) {
            throw new SpindleException(ErrorType.InvalidRequest, "Dataset '" + name + "' is " + listed.bytes
                    + " bytes; the console opens datasets up to " + MAX_DATASET_BYTES + " bytes (use spindle show)");
        }
        synchronized (this) {
            DatasetIndex index = indexes.get(name);
            if (index != null && index.size == listed.bytes && index.modified == modified(listed.file)) {
                return index;
            }
            try {
                index = DatasetIndex.scan(listed.file);
            } catch (IOException e) {
                throw new SpindleException(ErrorType.IOError, "cannot read dataset '" + name + "': " + e.getMessage());
            }
            indexes.put(name, index);
            if (indexes.size() > INDEXES_KEPT) {
                indexes.remove(indexes.keySet().iterator().next());
            }
            return index;
        }
    }

    /** Keeps an uploaded dataset (replacing one of the same name); the oldest goes past {@value #MAX_UPLOADS}. */
    synchronized String upload(String name, String content) {
        String file = name.endsWith(".jsonl") ? name : name + ".jsonl";
        if (!UPLOAD_NAME.matcher(file).matches()) {
            throw new SpindleException(ErrorType.InvalidRequest, "name must be 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit");
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (!ConversationFiles.holdsConversations(bytes)) {
            throw new SpindleException(ErrorType.InvalidRequest, "not a dataset: its first JSON line must be a conversation record, "
                    + "{\"messages\": [{\"role\": ...}, ...]} as spindle generate writes them");
        }
        try {
            if (uploads == null) {
                uploads = Files.createTempDirectory("spindle-uploads");
            }
            Files.write(uploads.resolve(file), bytes);
            List<Path> kept = jsonl(uploads).sorted(Comparator.comparing(Datasets::modified)).toList();
            for (int i = 0; i < kept.size() - MAX_UPLOADS; i++) {
                Files.deleteIfExists(kept.get(i));
            }
        } catch (IOException e) {
            throw new SpindleException(ErrorType.IOError, "cannot keep the upload: " + e.getMessage());
        }
        indexes.remove(UPLOAD_PREFIX + file);
        return UPLOAD_PREFIX + file;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0; // gone meanwhile: reading it will say so
        }
    }

    @Override
    public synchronized void close() {
        if (uploads != null) {
            try (Stream<Path> files = Files.list(uploads)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
                Files.deleteIfExists(uploads);
            } catch (IOException ignored) {
                // a temporary folder: the system cleans it up eventually
            }
        }
    }
}
