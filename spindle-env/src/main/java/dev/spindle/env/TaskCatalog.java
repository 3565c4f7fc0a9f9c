package dev.spindle.env;

import dev.spindle.core.ConfigException;
import dev.spindle.core.HttpError;
import dev.spindle.core.SpindleException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The tasks a server offers, by id: one {@code *.task.yaml} file, or every one under a folder (its
 * subfolders too, in path order). Loading checks every file and reports every problem at once; ids must be
 * unique; a mock tool two tasks define differently becomes each one's own copy.
 */
public final class TaskCatalog {
    /** No tasks: what a server started without {@code --tasks} offers. */
    public static final TaskCatalog EMPTY = new TaskCatalog(Map.of());
    private static final int MAX_DEPTH = 8;

    private final Map<String, Task> tasks;

    private TaskCatalog(Map<String, Task> tasks) {
        this.tasks = tasks;
    }

    /** A task file, or a folder of them; {@link ConfigException} listing every problem found. */
    public static TaskCatalog load(Path fileOrFolder) {
        return load(List.of(fileOrFolder));
    }

    /** Task files and folders of them, as one catalogue; {@link ConfigException} listing every problem found. */
    public static TaskCatalog load(List<Path> filesOrFolders) {
        List<Task> read = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path given : filesOrFolders) {
            try {
                files.addAll(files(given));
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        for (Path file : files) {
            try {
                read.add(TaskFile.read(file));
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            return of(read);
        }
        throw problems.size() == 1 ? new ConfigException(problems.getFirst()) : new ConfigException("tasks", problems);
    }

    /**
     * The given tasks; {@link ConfigException} when two share an id. A mock tool two tasks define
     * differently becomes each one's own copy ({@link ScopedMockTools}).
     */
    public static TaskCatalog of(Collection<Task> given) {
        Map<String, Task> byId = new LinkedHashMap<>();
        Map<String, JsonNode> mockTools = new HashMap<>();
        Set<String> clashing = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Task task : given) {
            Task other = byId.putIfAbsent(task.id(), task);
            if (other != null) {
                problems.add(task.source() + ": id '" + task.id() + "' is already the id of " + other.source());
            }
            for (JsonNode definition : definitions(task)) {
                String name = definition.path("name").asString("");
                JsonNode known = mockTools.putIfAbsent(name, definition);
                if (known != null && !known.equals(definition)) {
                    clashing.add(name);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("tasks", problems);
        }
        Map<String, Task> scoped = new LinkedHashMap<>();
        byId.forEach((id, task) -> scoped.put(id, definitions(task).stream().anyMatch(d -> clashing.contains(d.path("name").asString("")))
                ? ScopedMockTools.scope(task, clashing) : task));
        return new TaskCatalog(Map.copyOf(scoped));
    }

    /** The tool definitions of a task's {@code seed.mock.tools} documents ({@code {tools: [...]}} or a bare list). */
    private static List<JsonNode> definitions(Task task) {
        List<JsonNode> definitions = new ArrayList<>();
        for (JsonNode document : task.mockTools()) {
            (document.isArray() ? document : document.path("tools")).forEach(definitions::add);
        }
        return definitions;
    }

    private static List<Path> files(Path fileOrFolder) {
        if (Files.isRegularFile(fileOrFolder)) {
            return List.of(fileOrFolder);
        }
        if (!Files.isDirectory(fileOrFolder)) {
            throw new ConfigException(fileOrFolder.toString(), List.of("is neither a task file nor a folder of them"));
        }
        try (Stream<Path> walk = Files.walk(fileOrFolder, MAX_DEPTH)) {
            List<Path> files = walk.filter(p -> p.getFileName().toString().endsWith(TaskFile.SUFFIX) && Files.isRegularFile(p)).sorted().toList();
            if (files.isEmpty()) {
                throw new ConfigException(fileOrFolder.toString(), List.of("holds no *" + TaskFile.SUFFIX + " files"));
            }
            return files;
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigException(fileOrFolder.toString(), List.of("cannot be read: " + e.getMessage()));
        }
    }

    /** Every task, in id order. */
    public List<Task> tasks() {
        return tasks.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
    }

    public Optional<Task> find(String id) {
        return Optional.ofNullable(id == null ? null : tasks.get(id));
    }

    /** The task; {@code NotFound} (404) naming the ids there are when there is none of that id. */
    public Task require(String id) {
        return find(id).orElseThrow(() -> new SpindleException(HttpError.NotFound, "Unknown task '" + id + "'"
                + (tasks.isEmpty() ? "; this server has no tasks (start it with --tasks DIR)" : "; tasks: " + String.join(", ", tasks.keySet().stream().sorted().limit(20).toList())
                + (tasks.size() > 20 ? " and " + (tasks.size() - 20) + " more" : ""))));
    }

    public int size() {
        return tasks.size();
    }
}
