package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Code search, confined to the allowed repositories. */
public final class SearchCode extends GitHubTool {
    public SearchCode(GitHubApi api, RepoPolicy policy) {
        super("gh_search_code", "Search code on GitHub (GitHub code search syntax)",
                Schema.object().required("query", Schema.string("Search query, e.g. 'addClass in:file language:js'", 1))
                        .optional("perPage", perPageSchema(10)).optional("page", pageSchema()).build(),
                true, api, policy);
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        var page = api.get(outbound, "/search/code", GitHubApi.query("q", policy.restrictSearch(args.string("query")),
                "per_page", perPage(args, 10), "page", page(args)));
        ObjectNode result = list(page, page.json().path("items"), i -> Json.object().put("name", i.path("name").asString(""))
                .put("path", i.path("path").asString("")).put("repository", i.path("repository").path("full_name").asString(""))
                .put("url", i.path("html_url").asString("")));
        return Json.object().put("total_count", page.json().path("total_count").asLong()).setAll(result);
    }
}
