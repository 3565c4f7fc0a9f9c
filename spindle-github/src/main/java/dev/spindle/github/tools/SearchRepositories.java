package dev.spindle.github.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.github.GitHubApi;
import dev.spindle.github.RepoPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Repository search, confined to the allowed repositories. */
public final class SearchRepositories extends GitHubTool {
    public SearchRepositories(GitHubApi api, RepoPolicy policy) {
        super("gh_search_repositories", "Search GitHub repositories",
                Schema.object().required("query", Schema.string("Search query, e.g. 'tetris language:assembly'", 1))
                        .optional("perPage", perPageSchema(10)).optional("page", pageSchema())
                        .optional("sort", enumSchema("Sort field", "stars", "forks", "help-wanted-issues", "updated"))
                        .optional("order", enumSchema("Sort order (default desc)", "asc", "desc")).build(),
                true, api, policy);
    }

    private static ObjectNode enumSchema(String description, String... values) {
        ObjectNode schema = Schema.string(description);
        var array = schema.putArray("enum");
        for (String v : values) {
            array.add(v);
        }
        return schema;
    }

    @Override
    JsonNode run(Arguments args, GitHubApi.Grant outbound) {
        var page = api.get(outbound, "/search/repositories", GitHubApi.query("q", policy.restrictSearch(args.string("query")),
                "sort", args.string("sort", null), "order", args.string("order", "desc"), "per_page", perPage(args, 10), "page", page(args)));
        ObjectNode result = list(page, page.json().path("items"), i -> Json.object().put("full_name", i.path("full_name").asString(""))
                .put("description", i.path("description").asString("")).put("stars", i.path("stargazers_count").asLong())
                .put("language", i.path("language").asString("")).put("url", i.path("html_url").asString("")));
        return Json.object().put("total_count", page.json().path("total_count").asLong()).setAll(result);
    }
}
