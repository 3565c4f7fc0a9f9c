package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.Tool;
import dev.spindle.core.ToolContext;
import dev.spindle.core.ToolDefinition;
import dev.spindle.core.Workload;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.GitHubComponent;
import dev.spindle.github.RepoPolicy;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * A GitHub tool: one REST call whose answer is reduced to the fields an agent needs and returned as a
 * compact JSON string (the reference's result shape), cut at {@link #MAX_RESULT_CHARS} with a visible marker.
 */
public abstract class GitHubTool implements Tool {
    /** The most characters of a result: GitHub answers easily overflow a model's context. */
    public static final int MAX_RESULT_CHARS = 20_000;
    static final int MAX_PER_PAGE = 100;

    private final ToolDefinition definition;
    final GitHubApi api;
    final RepoPolicy policy;

    GitHubTool(String name, String description, ObjectNode inputSchema, boolean readOnly, GitHubApi api, RepoPolicy policy) {
        this.definition = new ToolDefinition(name, description, inputSchema, Schema.hints(readOnly, false, readOnly).put("openWorldHint", true));
        this.api = api;
        this.policy = policy;
    }

    @Override
    public final ToolDefinition definition() {
        return definition;
    }

    @Override
    public final Workload workload() {
        return Workload.OUTSIDE;
    }

    @Override
    public final JsonNode call(ToolContext context, ObjectNode arguments) {
        JsonNode result = run(new Arguments(arguments), new GitHubApi.Grant(context.outbound(), context.variables().get(GitHubComponent.TOKEN)));
        return StringNode.valueOf(capped(result.isString() ? result.asString() : Json.write(result)));
    }

    abstract JsonNode run(Arguments args, GitHubApi.Grant outbound);

    static String capped(String text) {
        if (text.length() <= MAX_RESULT_CHARS) {
            return text;
        }
        return text.substring(0, MAX_RESULT_CHARS) + "\n…[truncated: " + MAX_RESULT_CHARS + " of " + text.length()
                + " characters shown; ask for less, e.g. a smaller perPage or a later page]";
    }

    /**
     * {@code max} characters of {@code text} from {@code offset}, and when more follows, a marker saying
     * which part this is and how to get the rest ({@code hint}, or the next offset).
     */
    static String slice(String text, int offset, int max, String hint) {
        if (offset > 0 && offset >= text.length()) {
            return "…[offset " + offset + " is past the end: the text has " + text.length() + " characters]";
        }
        int end = Math.min(text.length(), offset + max);
        String part = text.substring(offset, end);
        return end == text.length() ? part : part + "\n…[truncated: characters " + offset + "-" + end + " of " + text.length()
                + " shown; " + (hint != null ? hint : "call again with offset=" + end + " for more") + "]";
    }

    /** {@code owner} and {@code repo}, checked against the allowlist; the repository's API path. */
    String repoPath(Arguments args, String... more) {
        policy.checkRepo(args.string("owner"), args.string("repo"));
        return GitHubApi.repoPath(args.string("owner"), args.string("repo"), more);
    }

    static int perPage(Arguments args, int fallback) {
        return Math.clamp(integer(args, "perPage", fallback), 1, MAX_PER_PAGE);
    }

    static int page(Arguments args) {
        return Math.max(1, integer(args, "page", 1));
    }

    static int integer(Arguments args, String name, int fallback) {
        JsonNode value = args.json().get(name);
        return value == null || value.isNull() ? fallback : value.asInt();
    }

    /** {@code {items, next_page?}}: one page of a list, each item reduced by {@code item}. */
    static ObjectNode list(GitHubApi.Page page, JsonNode items, Function<JsonNode, JsonNode> item) {
        ObjectNode result = Json.object();
        ArrayNode array = result.putArray("items");
        items.forEach(i -> {
            JsonNode reduced = item.apply(i);
            if (reduced != null) {
                array.add(reduced);
            }
        });
        page.nextPage().ifPresent(n -> result.put("next_page", n));
        return result;
    }

    static String login(JsonNode user) {
        return user.path("login").asString("");
    }

    static ArrayNode names(JsonNode array, String field) {
        ArrayNode names = Json.array();
        array.forEach(n -> names.add(n.path(field).asString("")));
        return names;
    }

    static String shortSha(JsonNode sha) {
        String s = sha.asString("");
        return s.length() > 7 ? s.substring(0, 7) : s;
    }

    // Argument schemas shared by the tools
    static ObjectNode owner() {
        return Schema.string("Repository owner (user or organization)", 1);
    }

    static ObjectNode repo() {
        return Schema.string("Repository name", 1);
    }

    static ObjectNode perPageSchema(int fallback) {
        return integerSchema("Results per page (1-" + MAX_PER_PAGE + ")", 1, MAX_PER_PAGE, fallback);
    }

    static ObjectNode pageSchema() {
        return integerSchema("Page number, from 1; a result with next_page has more", 1, 100_000, 1);
    }

    static ObjectNode state(String fallback) {
        ObjectNode schema = Schema.string("open, closed or all").put("default", fallback);
        schema.putArray("enum").add("open").add("closed").add("all");
        return schema;
    }

    static ObjectNode integerSchema(String description, int min, int max, Integer fallback) {
        ObjectNode schema = Json.object().put("type", "integer").put("description", description).put("minimum", min).put("maximum", max);
        return fallback == null ? schema : schema.put("default", fallback);
    }
}
