package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.SpindleException;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The paths under a directory at a ref (directories end with {@code /}), in pages of {@link #PAGE_SIZE}:
 * everything below from one request for the whole tree, or only the direct entries from one request for
 * that directory (a large repository's whole tree is slow and may come back cut short).
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
        List<String> paths = new ArrayList<>();
        JsonNode tree = Json.object();
        if (recursive) {
            tree = api.get(outbound, repoPath(args, "git", "trees", args.string("ref", "HEAD")), GitHubApi.query("recursive", 1)).json();
            for (JsonNode entry : tree.path("tree")) {
                String path = entry.path("path").asString("");
                if (path.startsWith(dir) && path.length() > dir.length()) {
                    paths.add(path + ("tree".equals(entry.path("type").asString("")) ? "/" : ""));
                }
            }
        } else {
            String directory = repoPath(args, "contents") + GitHubApi.filePath(dir);
            JsonNode entries = api.get(outbound, directory, GitHubApi.query("ref", args.string("ref", null))).json();
            if (!entries.isArray()) {
                throw new SpindleException(ErrorType.InvalidArguments, "path '" + args.string("path", "") + "' is a file, not a directory");
            }
            for (JsonNode entry : entries) {
                paths.add(entry.path("path").asString("") + ("dir".equals(entry.path("type").asString("")) ? "/" : ""));
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
