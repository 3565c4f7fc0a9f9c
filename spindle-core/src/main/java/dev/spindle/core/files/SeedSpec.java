package dev.spindle.core.files;

import dev.spindle.core.config.ConfigNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a new session's files come from, with one rule wherever a seed is written ({@code POST /sessions},
 * a task file's {@code seed}, a generator config's {@code scenario_seed}): inline {@code files} (path: text)
 * over at most one source, a folder ({@code dir}), a git repository ({@code git}, at an optional {@code ref},
 * a branch or tag) or a {@code snapshot}; the inline files win on the same path. A snapshot is restored
 * whole, so it takes no inline files.
 */
public record SeedSpec(Map<String, String> files, Source source) {
    public static final SeedSpec NONE = new SeedSpec(Map.of(), null);
    private static final Map<String, String> UNSUPPORTED = Map.of("archive", "archive seeds are not supported; unpack the archive into a folder and give dir");

    /** The one source a seed may name; {@link #key()} is the key it is written under. */
    public sealed interface Source permits Folder, Git, Snapshot {
        String key();
    }

    public record Folder(String dir) implements Source {
        @Override
        public String key() {
            return "dir";
        }
    }

    public record Git(String url, String ref) implements Source {
        @Override
        public String key() {
            return "git";
        }
    }

    public record Snapshot(String id) implements Source {
        @Override
        public String key() {
            return "snapshot";
        }
    }

    /**
     * Reads {@code files} from {@code holder} and the source from its mapping {@code fromKey}
     * ({@code {from: {dir: project}}}), which must then name one and nothing else; with a null
     * {@code fromKey} the source keys stand beside {@code files} and the holder's other keys are the caller's.
     */
    public static SeedSpec read(ConfigNode holder, String fromKey) {
        Map<String, String> files = holder.texts("files");
        ConfigNode from = fromKey == null ? holder : holder.section(fromKey);
        String dir = nonBlank(from, "dir");
        String git = nonBlank(from, "git");
        String ref = nonBlank(from, "ref");
        String snapshot = nonBlank(from, "snapshot");
        List<String> sources = Stream.of(dir == null ? null : "dir", git == null ? null : "git", snapshot == null ? null : "snapshot")
                .filter(key -> key != null).toList();
        if (fromKey != null && from.object() != null && !from.refuseUnknown(UNSUPPORTED) && Stream.of("dir", "git", "ref", "snapshot").noneMatch(from::has)) {
            from.error("give a source: dir (a folder), git (a repository URL or folder, with an optional ref) or snapshot (a snapshot id)");
        }
        if (sources.size() > 1) {
            from.error("give one source, not " + String.join(" and ", sources) + ": dir (a folder), git (a repository, with an optional ref) or snapshot");
        }
        if (ref != null && git == null) {
            from.error("ref", "needs git (ref is a branch or tag of that repository)");
        }
        if (snapshot != null && !files.isEmpty()) {
            holder.error("files", "a seed restored from a snapshot takes its files from it; give no files");
        }
        Source source = sources.size() != 1 ? null : dir != null ? new Folder(dir) : git != null ? new Git(git, ref) : new Snapshot(snapshot);
        return new SeedSpec(Collections.unmodifiableMap(files), source);
    }

    private static String nonBlank(ConfigNode node, String key) {
        String value = node.string(key, null);
        if (value != null && value.isBlank()) {
            node.error(key, "must not be empty");
            return null;
        }
        return value;
    }

    public boolean isEmpty() {
        return files.isEmpty() && source == null;
    }

    /**
     * The seed's files for a reader that confines seeds to {@code root} (the server's seed root, a task's
     * folder): a folder or local repository that leads out of it is {@code NotAllowed}; remote URLs are cloned.
     */
    public Map<String, String> filesUnder(Path root) {
        return with(switch (source) {
            case null -> Map.of();
            case Folder folder -> SeedSources.from(root, folder.dir(), null, null);
            case Git git -> SeedSources.from(root, null, git.url(), git.ref());
            case Snapshot snapshot -> throw new IllegalStateException("a snapshot seed is restored, not read as files");
        });
    }

    /**
     * The seed's files for a reader whose user names their own folders, anywhere (the generator's config):
     * {@code dir} and {@code git} as given, the reader having resolved a relative {@code dir} with {@link #resolvedAgainst}.
     */
    public Map<String, String> filesAsGiven() {
        return with(switch (source) {
            case null -> Map.of();
            case Folder folder -> SeedSources.folder(Path.of(folder.dir()));
            case Git git -> SeedSources.git(git.url(), git.ref());
            case Snapshot snapshot -> throw new IllegalStateException("a snapshot seed is restored, not read as files");
        });
    }

    /** The same seed with a relative {@code dir} resolved against {@code base}. */
    public SeedSpec resolvedAgainst(Path base) {
        return source instanceof Folder folder ? new SeedSpec(files, new Folder(base.resolve(folder.dir()).normalize().toString())) : this;
    }

    private Map<String, String> with(Map<String, String> fromSource) {
        Map<String, String> all = new LinkedHashMap<>(fromSource);
        all.putAll(files);
        return all;
    }
}
