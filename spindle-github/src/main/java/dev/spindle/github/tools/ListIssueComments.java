package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;

/** The comments on an issue or pull request, oldest first. */
public final class ListIssueComments extends GitHubTool {
    public ListIssueComments(GitHubApi api, RepoPolicy policy) {
        super("gh_list_issue_comments", "List the comments on an issue or pull request, oldest first",
                Schema.object().required("owner", owner()).required("repo", repo())
                        .required("issue_number", integerSchema("Issue or pull request number", 1, Integer.MAX_VALUE, null))
                        .optional("perPage", perPageSchema(30)).optional("page", pageSchema()).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        var page = api.get(outbound, repoPath(args, "issues", String.valueOf(integer(args, "issue_number", 0)), "comments"),
                GitHubApi.query("per_page", perPage(args, 30), "page", page(args)));
        return list(page, page.json(), c -> Json.object().put("id", c.path("id").asLong()).put("author", login(c.path("user")))
                .put("body", c.path("body").asString("")).put("created_at", c.path("created_at").asString("")));
    }
}
