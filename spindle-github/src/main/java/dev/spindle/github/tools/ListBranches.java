package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;

/** A repository's branches. */
public final class ListBranches extends GitHubTool {
    public ListBranches(GitHubApi api, RepoPolicy policy) {
        super("gh_list_branches", "List branches of a GitHub repository",
                Schema.object().required("owner", owner()).required("repo", repo())
                        .optional("perPage", perPageSchema(30)).optional("page", pageSchema()).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        var page = api.get(outbound, repoPath(args, "branches"), GitHubApi.query("per_page", perPage(args, 30), "page", page(args)));
        return list(page, page.json(), b -> Json.object().put("name", b.path("name").asString(""))
                .put("sha", shortSha(b.path("commit").path("sha"))).put("protected", b.path("protected").asBoolean()));
    }
}
