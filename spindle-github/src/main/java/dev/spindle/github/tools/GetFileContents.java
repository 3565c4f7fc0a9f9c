package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A file's text (with its sha), or a directory's entries, at an optional ref. */
public final class GetFileContents extends GitHubTool {
    public GetFileContents(GitHubApi api, RepoPolicy policy) {
        super("gh_get_file_contents", "Get a file's contents or a directory listing from a GitHub repository",
                Schema.object().required("owner", owner()).required("repo", repo())
                        .optional("path", Schema.string("Path in the repository; empty for the root"))
                        .optional("ref", Schema.string("Branch, tag or commit (default: the default branch)", 1)).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        String path = repoPath(args, "contents") + GitHubApi.filePath(args.string("path", ""));
        JsonNode json = api.get(outbound, path, GitHubApi.query("ref", args.string("ref", null))).json();
        if (json.isArray()) {
            return list(new GitHubApi.Page(json, java.util.OptionalInt.empty()), json, e -> Json.object()
                    .put("name", e.path("name").asString("")).put("type", e.path("type").asString("")).put("path", e.path("path").asString("")));
        }
        ObjectNode file = Json.object().put("path", json.path("path").asString("")).put("sha", json.path("sha").asString(""))
                .put("size", json.path("size").asLong());
        if ("base64".equals(json.path("encoding").asString(""))) {
            byte[] bytes = java.util.Base64.getMimeDecoder().decode(json.path("content").asString(""));
            return file.put("content", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
        return file.put("type", json.path("type").asString("")).put("content", "");
    }
}
