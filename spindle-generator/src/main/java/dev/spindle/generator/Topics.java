package dev.spindle.generator;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.spindle.core.ConfigException;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import dev.spindle.generator.config.GeneratorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The topics samples cycle over. A given list or file is used as is; otherwise {@code topics.prompt}
 * is expanded by the LLM into a tree ({@code depth} levels of {@code degree} subtopics), siblings
 * de-duplicated, and its leaves saved to {@code topics.save_as} as DeepFabric's JSONL
 * ({@code {"path": [...]}} per line). A saved file is reused on the next run instead of regenerated.
 */
final class Topics {
    private Topics() {}

    static List<Topic> resolve(GeneratorConfig.Topics config, ChatModel model, int concurrency, Consumer<String> log) {
        if (!config.list().isEmpty()) {
            return config.list().stream().map(Topic::of).toList();
        }
        if (config.file() != null) {
            return read(config.file());
        }
        if (config.saveAs() != null && Files.exists(config.saveAs())) {
            log.accept("reusing topics from " + config.saveAs() + " (delete it to expand the prompt again)");
            return read(config.saveAs());
        }
        List<List<String>> paths = expand(config, model, concurrency);
        if (config.saveAs() != null) {
            StringBuilder lines = new StringBuilder();
            for (List<String> path : paths) {
                ArrayNode array = Json.array();
                path.forEach(array::add);
                lines.append(Json.write(Json.object().set("path", array))).append('\n');
            }
            try {
                if (config.saveAs().toAbsolutePath().getParent() != null) {
                    Files.createDirectories(config.saveAs().toAbsolutePath().getParent());
                }
                Files.writeString(config.saveAs(), lines);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save topics to " + config.saveAs() + ": " + e.getMessage(), e);
            }
        }
        return paths.stream().map(path -> Topic.of(String.join(" -> ", path))).toList();
    }

    /** One topic per line: plain text, or DeepFabric's {@code {"path": [...]}} JSON; a file that gives none is a configuration error. */
    static List<Topic> read(Path file) {
        try {
            List<Topic> topics = new ArrayList<>();
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String text = lines.get(i).strip();
                if (text.isEmpty()) {
                    continue;
                }
                if (text.startsWith("{")) {
                    text = String.join(" -> ", path(text, file, i + 1));
                }
                topics.add(Topic.of(text));
            }
            if (topics.isEmpty()) {
                throw new ConfigException("topics.file: " + file + " holds no topics");
            }
            return topics;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read topics from " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> path(String line, Path file, int number) {
        try {
            List<String> path = new ArrayList<>();
            Json.parse(line).path("path").forEach(part -> path.add(part.asString()));
            return path;
        } catch (SpindleException notJson) {
            throw new ConfigException("topics.file: " + file + " line " + number + ": " + notJson.getMessage());
        }
    }

    private static List<List<String>> expand(GeneratorConfig.Topics config, ChatModel model, int concurrency) {
        List<List<String>> level = List.of(List.of(config.prompt().strip()));
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency), Thread.ofVirtual().factory())) {
            for (int depth = 0; depth < config.depth(); depth++) {
                List<Future<List<String>>> children = new ArrayList<>();
                for (List<String> path : level) {
                    children.add(pool.submit(() -> subtopics(config, model, path)));
                }
                List<List<String>> next = new ArrayList<>();
                for (int i = 0; i < level.size(); i++) {
                    for (String child : children.get(i).get()) {
                        List<String> path = new ArrayList<>(level.get(i));
                        path.add(child);
                        next.add(path);
                    }
                }
                if (next.isEmpty()) {
                    throw new SampleFailure(SampleFailure.Cause.invalid_answer, "topic expansion found no topics: the model listed no subtopics of "
                            + String.join(", ", level.stream().map(path -> "'" + String.join(" -> ", path) + "'").toList())
                            + "; try another model, or give topics.list or topics.file");
                }
                level = next;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while expanding topics", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new SampleFailure(SampleFailure.Cause.llm, "topic expansion failed: " + e.getCause().getMessage());
        }
        return level;
    }

    private static List<String> subtopics(GeneratorConfig.Topics config, ChatModel model, List<String> path) {
        ChatRequest.Builder request = ChatRequest.builder().messages(config.systemPrompt().isBlank()
                ? List.of(UserMessage.from(Prompts.subtopics(path, config.degree())))
                : List.of(SystemMessage.from(config.systemPrompt()), UserMessage.from(Prompts.subtopics(path, config.degree()))));
        String text = model.chat(request.build()).aiMessage().text();
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        for (String candidate : parseList(text == null ? "" : text)) {
            String clean = candidate.strip();
            if (!clean.isEmpty() && seen.add(clean.toLowerCase(Locale.ROOT)) && out.size() < config.degree()) {
                out.add(clean);
            }
        }
        return out;
    }

    /** A JSON array of strings, or failing that one item per line (bullets and numbering removed). */
    static List<String> parseList(String text) {
        String trimmed = Agent.unfenced(text);
        List<String> items = new ArrayList<>();
        try {
            JsonNode array = Json.parse(trimmed);
            if (array.isArray()) {
                array.forEach(item -> items.add(item.isString() ? item.stringValue() : item.path("topic").asString(item.toString())));
                return items;
            }
        } catch (RuntimeException notJson) {
            // fall through to lines
        }
        for (String line : trimmed.split("\n")) {
            items.add(line.replaceFirst("^\\s*([-*•]|\\d+[.)])\\s*", ""));
        }
        return items;
    }
}
