package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One issue with its body. */
public final class GetIssue extends GitHubTool {
    public GetIssue(GitHubApi api, RepoPolicy policy) {
        super("gh_get_issue", "Get one issue of a GitHub repository",
                Schema.object().required("owner", owner()).required("repo", repo())
                        .required("issue_number", integerSchema("Issue number", 1, Integer.MAX_VALUE, null)).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        JsonNode i = api.get(outbound, repoPath(args, "issues", String.valueOf(integer(args, "issue_number", 0))), GitHubApi.query()).json();
        return Json.object().put("number", i.path("number").asInt()).put("title", i.path("title").asString(""))
                .put("body", i.path("body").asString("")).put("state", i.path("state").asString("")).put("author", login(i.path("user")))
                .<ObjectNode>set("labels", names(i.path("labels"), "name")).<ObjectNode>set("assignees", names(i.path("assignees"), "login"))
                .put("created_at", i.path("created_at").asString("")).put("updated_at", i.path("updated_at").asString(""))
                .put("comments", i.path("comments").asInt());
    }
}
