package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One commit: message, author, stats and its first files. */
public final class GetCommit extends GitHubTool {
    static final int MAX_FILES = 20;

    public GetCommit(GitHubApi api, RepoPolicy policy) {
        super("gh_get_commit", "Get one commit of a GitHub repository",
                Schema.object().required("owner", owner()).required("repo", repo())
                        .required("sha", Schema.string("Commit sha (or branch or tag)", 1)).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        JsonNode c = api.get(outbound, repoPath(args, "commits", args.string("sha")), GitHubApi.query()).json();
        ObjectNode result = Json.object().put("sha", c.path("sha").asString("")).put("message", c.path("commit").path("message").asString(""))
                .put("author", c.path("commit").path("author").path("name").asString(""))
                .put("date", c.path("commit").path("author").path("date").asString(""));
        result.set("stats", Json.object().put("additions", c.path("stats").path("additions").asInt())
                .put("deletions", c.path("stats").path("deletions").asInt()).put("total", c.path("stats").path("total").asInt()));
        var files = result.putArray("files");
        JsonNode all = c.path("files");
        for (int i = 0; i < Math.min(all.size(), MAX_FILES); i++) {
            JsonNode f = all.get(i);
            files.add(Json.object().put("filename", f.path("filename").asString("")).put("status", f.path("status").asString(""))
                    .put("changes", f.path("changes").asInt()));
        }
        if (all.size() > MAX_FILES) {
            result.put("files_truncated", all.size() - MAX_FILES + " more files not shown");
        }
        return result;
    }
}
