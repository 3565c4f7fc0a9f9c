package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;

/** The files a pull request changes, each with its counts and the start of its patch. */
public final class GetPullRequestFiles extends GitHubTool {
    /** A patch's share of one page: the whole diff is gh_get_pull_request_diff's job. */
    static final int MAX_PATCH_CHARS = 2_000;

    public GetPullRequestFiles(GitHubApi api, RepoPolicy policy) {
        super("gh_get_pull_request_files", "List the files a pull request changes, with additions, deletions and the start of each patch",
                Schema.object().required("owner", owner()).required("repo", repo())
                        .required("pullNumber", integerSchema("Pull request number", 1, Integer.MAX_VALUE, null))
                        .optional("perPage", perPageSchema(30)).optional("page", pageSchema()).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        var page = api.get(outbound, repoPath(args, "pulls", String.valueOf(integer(args, "pullNumber", 0)), "files"),
                GitHubApi.query("per_page", perPage(args, 30), "page", page(args)));
        return list(page, page.json(), f -> Json.object().put("filename", f.path("filename").asString(""))
                .put("status", f.path("status").asString("")).put("additions", f.path("additions").asInt())
                .put("deletions", f.path("deletions").asInt())
                .put("patch", slice(f.path("patch").asString(""), 0, MAX_PATCH_CHARS, "use gh_get_pull_request_diff for the whole diff")));
    }
}
