package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;

/** A branch's (or sha's) recent commits. */
public final class ListCommits extends GitHubTool {
    public ListCommits(GitHubApi api, RepoPolicy policy) {
        super("gh_list_commits", "List commits of a GitHub repository",
                Schema.object().required("owner", owner()).required("repo", repo())
                        .optional("sha", Schema.string("Branch name or commit sha to start from (default: the default branch)", 1))
                        .optional("perPage", perPageSchema(10)).optional("page", pageSchema()).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        var page = api.get(outbound, repoPath(args, "commits"), GitHubApi.query("sha", args.string("sha", null),
                "per_page", perPage(args, 10), "page", page(args)));
        return list(page, page.json(), c -> Json.object().put("sha", shortSha(c.path("sha")))
                .put("message", c.path("commit").path("message").asString("").lines().findFirst().orElse(""))
                .put("author", c.path("commit").path("author").path("name").asString(""))
                .put("date", c.path("commit").path("author").path("date").asString("")));
    }
}
