package dev.spindle.github;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Recent results of the read tools by (tool, arguments), so one run does not ask GitHub the same thing
 * twice: kept {@link #TTL}, at most {@link #MAX_ENTRIES} (least recently used dropped first). Calls that
 * ask the same thing at the same time share the first one's request and answer (its failure too). Failures
 * are never kept (a rate limit passes), writes never cached, and a write to a repository drops what is
 * kept about it.
 */
final class ResultCache {
    static final Duration TTL = Duration.ofSeconds(60);
    /** With results capped at 20000 characters, at most about 20 MB. */
    static final int MAX_ENTRIES = 500;

    private record Kept(String repo, JsonNode result, long expiresAt) {}

    private final LongSupplier nanoClock;
    private final int maxEntries;
    private final Map<String, Kept> entries;
    /** Reads asked of GitHub right now, by key: a second caller waits for the first one's answer. */
    private final ConcurrentHashMap<String, CompletableFuture<JsonNode>> inFlight = new ConcurrentHashMap<>();

    ResultCache(LongSupplier nanoClock, int maxEntries) {
        this.nanoClock = nanoClock;
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
                return size() > ResultCache.this.maxEntries;
            }
        };
    }

    ResultCache() {
        this(System::nanoTime, MAX_ENTRIES);
    }

    /** {@code tool} answering from this cache when it is a read, and clearing its repository's entries when it writes. */
    Tool wrap(Tool tool) {
        boolean read = tool.definition().annotations().path("readOnlyHint").asBoolean(false);
        return new Tool() {
            @Override
            public ToolDefinition definition() {
                return tool.definition();
            }

            @Override
            public Workload workload() {
                return tool.workload();
            }

            @Override
            public JsonNode call(ToolContext context, ObjectNode arguments) {
                String repo = repo(arguments);
                if (!read) {
                    try {
                        return tool.call(context, arguments);
                    } finally {
                        forget(repo);
                    }
                }
                String key = tool.definition().name() + "\n" + canonical(arguments);
                JsonNode kept = get(key);
                if (kept != null) {
                    return kept;
                }
                CompletableFuture<JsonNode> mine = new CompletableFuture<>();
                CompletableFuture<JsonNode> asked = inFlight.putIfAbsent(key, mine);
                if (asked != null) {
                    return answerOf(asked);
                }
                try {
                    JsonNode result = tool.call(context, arguments);
                    put(key, new Kept(repo, result, nanoClock.getAsLong() + TTL.toNanos()));
                    mine.complete(result);
                    return result;
                } catch (RuntimeException | Error e) {
                    mine.completeExceptionally(e);
                    throw e;
                } finally {
                    inFlight.remove(key, mine);
                }
            }
        };
    }

    /** The shared request's answer, or its failure as the asking call would have thrown it. */
    private static JsonNode answerOf(CompletableFuture<JsonNode> asked) {
        try {
            return asked.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpindleException(ErrorType.Timeout, "GitHub request interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private synchronized JsonNode get(String key) {
        Kept entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (nanoClock.getAsLong() - entry.expiresAt() >= 0) {
            entries.remove(key);
            return null;
        }
        return entry.result();
    }

    private synchronized void put(String key, Kept entry) {
        entries.put(key, entry);
    }

    private synchronized void forget(String repo) {
        entries.values().removeIf(e -> repo != null && repo.equals(e.repo()));
    }

    synchronized int size() {
        return entries.size();
    }

    /** {@code owner/repo} in lowercase (GitHub's names are case-insensitive), or null for a search. */
    private static String repo(ObjectNode arguments) {
        JsonNode owner = arguments.get("owner");
        JsonNode repo = arguments.get("repo");
        return owner == null || repo == null ? null : (owner.asString("") + "/" + repo.asString("")).toLowerCase(Locale.ROOT);
    }

    /** The arguments as JSON with every object's keys sorted: the same call however its arguments were ordered. */
    static String canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            node.properties().forEach(p -> sorted.put(p.getKey(), canonical(p.getValue())));
            StringBuilder out = new StringBuilder("{");
            sorted.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(dev.spindle.core.Json.write(k)).append(':').append(v));
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            node.forEach(v -> out.append(out.length() > 1 ? "," : "").append(canonical(v)));
            return out.append(']').toString();
        }
        return dev.spindle.core.Json.write(node);
    }
}
