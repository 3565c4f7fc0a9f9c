package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** One pull request: the list fields, its description and its size. */
public final class GetPullRequest extends GitHubTool {
    public GetPullRequest(GitHubApi api, RepoPolicy policy) {
        super("gh_get_pull_request", "Get one pull request of a GitHub repository",
                Schema.object().required("owner", owner()).required("repo", repo())
                        .required("pullNumber", integerSchema("Pull request number", 1, Integer.MAX_VALUE, null)).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        JsonNode p = api.get(outbound, repoPath(args, "pulls", String.valueOf(integer(args, "pullNumber", 0))), GitHubApi.query()).json();
        ObjectNode result = ListPullRequests.summary(p).put("body", p.path("body").asString(""));
        JsonNode mergeable = p.path("mergeable");
        (mergeable.isBoolean() ? result.put("mergeable", mergeable.asBoolean()) : result.putNull("mergeable"))
                .put("additions", p.path("additions").asInt()).put("deletions", p.path("deletions").asInt())
                .put("changed_files", p.path("changed_files").asInt()).put("updated_at", p.path("updated_at").asString(""));
        return result;
    }
}
