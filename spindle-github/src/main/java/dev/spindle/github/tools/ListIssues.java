package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A repository's issues (pull requests left out). */
public final class ListIssues extends GitHubTool {
    public ListIssues(GitHubApi api, RepoPolicy policy) {
        super("gh_list_issues", "List issues in a GitHub repository (pull requests excluded)",
                Schema.object().required("owner", owner()).required("repo", repo()).optional("state", state("open"))
                        .optional("perPage", perPageSchema(10)).optional("page", pageSchema()).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        var page = api.get(outbound, repoPath(args, "issues"), GitHubApi.query("state", args.string("state", "open"),
                "per_page", perPage(args, 10), "page", page(args)));
        return list(page, page.json(), i -> i.has("pull_request") ? null : Json.object().put("number", i.path("number").asInt())
                .put("title", i.path("title").asString("")).put("state", i.path("state").asString("")).put("author", login(i.path("user")))
                .<ObjectNode>set("labels", names(i.path("labels"), "name")).put("created_at", i.path("created_at").asString("")));
    }
}
