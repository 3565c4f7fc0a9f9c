package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/** A pull request's unified diff, as text, read in slices of {@link #SLICE_CHARS} characters. */
public final class GetPullRequestDiff extends GitHubTool {
    static final int SLICE_CHARS = 15_000;

    public GetPullRequestDiff(GitHubApi api, RepoPolicy policy) {
        super("gh_get_pull_request_diff", "Get a pull request's unified diff (" + SLICE_CHARS + " characters at a time; offset reads further)",
                Schema.object().required("owner", owner()).required("repo", repo())
                        .required("pullNumber", integerSchema("Pull request number", 1, Integer.MAX_VALUE, null))
                        .optional("offset", integerSchema("Character offset to start from (a truncated answer says the next one)", 0, Integer.MAX_VALUE, 0))
                        .build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        String diff = api.getText(outbound, repoPath(args, "pulls", String.valueOf(integer(args, "pullNumber", 0))), "application/vnd.github.diff");
        return StringNode.valueOf(slice(diff, integer(args, "offset", 0), SLICE_CHARS, null));
    }
}
