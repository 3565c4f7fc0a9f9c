package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;

/** The one write: a comment on an issue or pull request, only when writes are enabled. */
public final class AddIssueComment extends GitHubTool {
    public AddIssueComment(GitHubApi api, RepoPolicy policy) {
        super("gh_add_issue_comment", "Add a comment to an issue or pull request (needs writes enabled)",
                Schema.object().required("owner", owner()).required("repo", repo())
                        .required("issue_number", integerSchema("Issue or pull request number", 1, Integer.MAX_VALUE, null))
                        .required("body", Schema.string("Comment text (Markdown)", 1)).build(),
                false, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        String path = repoPath(args, "issues", String.valueOf(integer(args, "issue_number", 0)), "comments"); // allowlist first, as the reference
        policy.checkWrite(definition().name());
        JsonNode c = api.post(outbound, path, Json.object().put("body", args.text("body"))).json();
        return Json.object().put("id", c.path("id").asLong()).put("url", c.path("html_url").asString(""))
                .put("created_at", c.path("created_at").asString(""));
    }
}
