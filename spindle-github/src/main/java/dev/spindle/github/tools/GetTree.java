package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The paths under a directory at a ref (directories end with {@code /}), from one request for the whole
 * tree, in pages of {@link #PAGE_SIZE}.
 */
public final class GetTree extends GitHubTool {
    static final int PAGE_SIZE = 500;

    public GetTree(GitHubApi api, RepoPolicy policy) {
        super("gh_get_tree", "List the paths under a directory of a GitHub repository (recursive by default; directories end with '/')",
                Schema.object().required("owner", owner()).required("repo", repo())
                        .optional("path", Schema.string("Directory in the repository; empty for the root"))
                        .optional("ref", Schema.string("Branch, tag or commit (default: the default branch)", 1))
                        .optional("recursive", Json.object().put("type", "boolean").put("description", "Everything below, not only the direct entries").put("default", true))
                        .optional("page", pageSchema()).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        List<String> segments = GitHubApi.pathSegments(args.string("path", ""));
        String dir = segments.isEmpty() ? "" : String.join("/", segments) + "/";
        boolean recursive = !args.json().has("recursive") || args.json().get("recursive").asBoolean(true);
        JsonNode tree = api.get(outbound, repoPath(args, "git", "trees", args.string("ref", "HEAD")), GitHubApi.query("recursive", 1)).json();
        List<String> paths = new ArrayList<>();
        for (JsonNode entry : tree.path("tree")) {
            String path = entry.path("path").asString("");
            String below = path.startsWith(dir) ? path.substring(dir.length()) : null;
            if (below != null && !below.isEmpty() && (recursive || !below.contains("/"))) {
                paths.add(path + ("tree".equals(entry.path("type").asString("")) ? "/" : ""));
            }
        }
        int page = page(args);
        int from = Math.min(paths.size(), (page - 1) * PAGE_SIZE);
        int to = Math.min(paths.size(), from + PAGE_SIZE);
        ArrayNode items = Json.array();
        paths.subList(from, to).forEach(items::add);
        ObjectNode result = list(new GitHubApi.Page(items, to < paths.size() ? OptionalInt.of(page + 1) : OptionalInt.empty()), items, p -> p);
        if (tree.path("truncated").asBoolean(false)) {
            result.put("truncated", "GitHub cut this tree short (too many entries); list a smaller directory with gh_get_file_contents");
        }
        return result;
    }
}
