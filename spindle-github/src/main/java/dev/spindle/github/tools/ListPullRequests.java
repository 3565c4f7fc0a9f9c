package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A repository's pull requests. */
public final class ListPullRequests extends GitHubTool {
    public ListPullRequests(GitHubApi api, RepoPolicy policy) {
        super("gh_list_pull_requests", "List pull requests in a GitHub repository",
                Schema.object().required("owner", owner()).required("repo", repo()).optional("state", state("open"))
                        .optional("perPage", perPageSchema(10)).optional("page", pageSchema()).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        var page = api.get(outbound, repoPath(args, "pulls"), GitHubApi.query("state", args.string("state", "open"),
                "per_page", perPage(args, 10), "page", page(args)));
        return list(page, page.json(), ListPullRequests::summary);
    }

    static ObjectNode summary(JsonNode p) {
        return Json.object().put("number", p.path("number").asInt()).put("title", p.path("title").asString(""))
                .put("state", p.path("state").asString("")).put("author", login(p.path("user")))
                .put("head", p.path("head").path("ref").asString("")).put("base", p.path("base").path("ref").asString(""))
                .put("draft", p.path("draft").asBoolean()).put("created_at", p.path("created_at").asString(""));
    }
}
