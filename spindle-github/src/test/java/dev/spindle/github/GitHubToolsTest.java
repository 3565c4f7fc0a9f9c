package dev.spindle.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.Workload;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.testing.FakeGitHub;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class GitHubToolsTest {
    private final FakeGitHub github = new FakeGitHub();
    private ToolRuntime runtime;

    GitHubToolsTest() throws Exception {}

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        github.close();
    }

    private ToolResult call(GitHubConfig config, String tool, String args) {
        if (runtime == null) {
            runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new GitHubComponent(config)).build();
        }
        return runtime.execute(new ToolCall("s", "github", tool, Json.parse(args)));
    }

    private GitHubConfig config(String repos, boolean writes) {
        return GitHubConfig.of("t0ken", repos, String.valueOf(writes), github.url());
    }

    private ToolResult call(String tool, String args) {
        return call(config("", false), tool, args);
    }

    private static JsonNode json(ToolResult result) {
        assertThat(result.success()).as(result.value().asString()).isTrue();
        return Json.parse(result.value().asString());
    }

    @Test
    void fileContentsDecodeTheFileAndSendTheTokenAndRef() {
        String content = Base64.getMimeEncoder().encodeToString("hello\nworld\n".getBytes());
        github.answer("GET /repos/octo/hello/contents/src/Main.java",
                "{\"type\":\"file\",\"encoding\":\"base64\",\"path\":\"src/Main.java\",\"sha\":\"abc123\",\"size\":12,\"content\":\"" + content.replace("\r\n", "\\n") + "\"}");
        JsonNode file = json(call("gh_get_file_contents", "{\"owner\":\"octo\",\"repo\":\"hello\",\"path\":\"src/Main.java\",\"ref\":\"dev\"}"));
        assertThat(file).isEqualTo(Json.parse("{\"path\":\"src/Main.java\",\"sha\":\"abc123\",\"size\":12,\"content\":\"hello\\nworld\\n\"}"));
        assertThat(github.last().query()).isEqualTo("ref=dev");
        assertThat(github.last().authorization()).isEqualTo("Bearer t0ken");
    }

    @Test
    void directoryListsEntries() {
        github.answer("GET /repos/octo/hello/contents", "[{\"name\":\"src\",\"type\":\"dir\",\"path\":\"src\",\"sha\":\"x\",\"url\":\"u\"}]");
        assertThat(json(call("gh_get_file_contents", "{\"owner\":\"octo\",\"repo\":\"hello\"}")))
                .isEqualTo(Json.parse("{\"items\":[{\"name\":\"src\",\"type\":\"dir\",\"path\":\"src\"}]}"));
    }

    @Test
    void hostileArgumentsNeverChangeTheRequestPath() {
        call("gh_get_file_contents", "{\"owner\":\"octo\",\"repo\":\"hello\",\"path\":\"a b/c?x=1#frag/%2e%2e\",\"ref\":\"main&admin=1\"}");
        assertThat(github.last().path()).isEqualTo("/repos/octo/hello/contents/a%20b/c%3Fx%3D1%23frag/%252e%252e");
        assertThat(github.last().query()).isEqualTo("ref=main%26admin%3D1");

        call("gh_get_commit", "{\"owner\":\"octo\",\"repo\":\"hello\",\"sha\":\"../../../user\"}");
        assertThat(github.last().path()).isEqualTo("/repos/octo/hello/commits/..%2F..%2F..%2Fuser");

        int sent = github.requests.size();
        ToolResult dots = call("gh_get_file_contents", "{\"owner\":\"octo\",\"repo\":\"hello\",\"path\":\"docs/../../../user\"}");
        assertThat(dots.errorType()).isEqualTo(ErrorType.InvalidArguments);
        ToolResult owner = call("gh_list_issues", "{\"owner\":\"../admin\",\"repo\":\"hello\"}");
        assertThat(owner.errorType()).isEqualTo(ErrorType.InvalidArguments);
        assertThat(owner.value().asString()).contains("owner");
        ToolResult repo = call("gh_list_issues", "{\"owner\":\"octo\",\"repo\":\"..\"}");
        assertThat(repo.errorType()).isEqualTo(ErrorType.InvalidArguments);
        ToolResult notInteger = call("gh_list_issues", "{\"owner\":\"octo\",\"repo\":\"hello\",\"perPage\":\"ten\"}");
        assertThat(notInteger.errorType()).isEqualTo(ErrorType.InvalidArguments);
        assertThat(github.requests).hasSize(sent);
    }

    @Test
    void searchCodeAndRepositoriesAreCompactAndPaged() {
        github.answer("GET /search/code", "{\"total_count\":41,\"incomplete_results\":false,\"items\":[{\"name\":\"a.py\",\"path\":\"lib/a.py\",\"sha\":\"s\","
                + "\"html_url\":\"https://github.com/octo/hello/blob/main/lib/a.py\",\"repository\":{\"full_name\":\"octo/hello\",\"private\":false}}]}",
                "Link", "<https://api.github.com/search/code?q=x&page=3>; rel=\"next\", <https://api.github.com/search/code?q=x&page=5>; rel=\"last\"");
        assertThat(json(call("gh_search_code", "{\"query\":\"def main\",\"perPage\":5,\"page\":2}"))).isEqualTo(Json.parse(
                "{\"total_count\":41,\"items\":[{\"name\":\"a.py\",\"path\":\"lib/a.py\",\"repository\":\"octo/hello\","
                        + "\"url\":\"https://github.com/octo/hello/blob/main/lib/a.py\"}],\"next_page\":3}"));
        assertThat(github.last().query()).isEqualTo("q=def%20main&per_page=5&page=2");

        github.answer("GET /search/repositories", "{\"total_count\":1,\"items\":[{\"full_name\":\"octo/hello\",\"description\":\"Hi\","
                + "\"stargazers_count\":7,\"language\":\"Go\",\"html_url\":\"https://github.com/octo/hello\",\"forks\":1}]}");
        assertThat(json(call("gh_search_repositories", "{\"query\":\"hello\",\"sort\":\"stars\"}"))).isEqualTo(Json.parse(
                "{\"total_count\":1,\"items\":[{\"full_name\":\"octo/hello\",\"description\":\"Hi\",\"stars\":7,\"language\":\"Go\",\"url\":\"https://github.com/octo/hello\"}]}"));
        assertThat(github.last().query()).isEqualTo("q=hello&sort=stars&order=desc&per_page=10&page=1");
    }

    @Test
    void issuesAndPullRequests() {
        github.answer("GET /repos/octo/hello/issues", "[{\"number\":1,\"title\":\"Bug\",\"state\":\"open\",\"user\":{\"login\":\"ann\",\"id\":1},"
                + "\"labels\":[{\"name\":\"bug\",\"color\":\"f00\"}],\"created_at\":\"2024-01-01T00:00:00Z\",\"body\":\"long\"},"
                + "{\"number\":2,\"title\":\"PR\",\"pull_request\":{},\"user\":{\"login\":\"bob\"},\"labels\":[]}]");
        assertThat(json(call("gh_list_issues", "{\"owner\":\"octo\",\"repo\":\"hello\",\"state\":\"all\"}"))).isEqualTo(Json.parse(
                "{\"items\":[{\"number\":1,\"title\":\"Bug\",\"state\":\"open\",\"author\":\"ann\",\"labels\":[\"bug\"],\"created_at\":\"2024-01-01T00:00:00Z\"}]}"));
        assertThat(github.last().query()).isEqualTo("state=all&per_page=10&page=1");

        github.answer("GET /repos/octo/hello/issues/1", "{\"number\":1,\"title\":\"Bug\",\"body\":\"It breaks\",\"state\":\"open\",\"user\":{\"login\":\"ann\"},"
                + "\"labels\":[{\"name\":\"bug\"}],\"assignees\":[{\"login\":\"cy\"}],\"created_at\":\"c\",\"updated_at\":\"u\",\"comments\":3}");
        assertThat(json(call("gh_get_issue", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1}"))).isEqualTo(Json.parse(
                "{\"number\":1,\"title\":\"Bug\",\"body\":\"It breaks\",\"state\":\"open\",\"author\":\"ann\",\"labels\":[\"bug\"],"
                        + "\"assignees\":[\"cy\"],\"created_at\":\"c\",\"updated_at\":\"u\",\"comments\":3}"));

        String pr = "{\"number\":9,\"title\":\"Fix\",\"state\":\"open\",\"user\":{\"login\":\"ann\"},\"head\":{\"ref\":\"fix\"},\"base\":{\"ref\":\"main\"},"
                + "\"draft\":false,\"created_at\":\"c\"";
        github.answer("GET /repos/octo/hello/pulls", "[" + pr + "}]");
        assertThat(json(call("gh_list_pull_requests", "{\"owner\":\"octo\",\"repo\":\"hello\"}"))).isEqualTo(Json.parse(
                "{\"items\":[{\"number\":9,\"title\":\"Fix\",\"state\":\"open\",\"author\":\"ann\",\"head\":\"fix\",\"base\":\"main\",\"draft\":false,\"created_at\":\"c\"}]}"));
        github.answer("GET /repos/octo/hello/pulls/9", pr + ",\"body\":\"Fixes #1\",\"mergeable\":true,\"additions\":5,\"deletions\":2,\"changed_files\":1,\"updated_at\":\"u\"}");
        assertThat(json(call("gh_get_pull_request", "{\"owner\":\"octo\",\"repo\":\"hello\",\"pullNumber\":9}"))).isEqualTo(Json.parse(
                "{\"number\":9,\"title\":\"Fix\",\"state\":\"open\",\"author\":\"ann\",\"head\":\"fix\",\"base\":\"main\",\"draft\":false,\"created_at\":\"c\","
                        + "\"body\":\"Fixes #1\",\"mergeable\":true,\"additions\":5,\"deletions\":2,\"changed_files\":1,\"updated_at\":\"u\"}"));
    }

    @Test
    void commitsAndBranches() {
        github.answer("GET /repos/octo/hello/commits", "[{\"sha\":\"0123456789abcdef\",\"commit\":{\"message\":\"Fix bug\\n\\nDetails\","
                + "\"author\":{\"name\":\"Ann\",\"date\":\"2024-02-02T00:00:00Z\"}}}]");
        assertThat(json(call("gh_list_commits", "{\"owner\":\"octo\",\"repo\":\"hello\",\"sha\":\"dev\",\"perPage\":2}"))).isEqualTo(Json.parse(
                "{\"items\":[{\"sha\":\"0123456\",\"message\":\"Fix bug\",\"author\":\"Ann\",\"date\":\"2024-02-02T00:00:00Z\"}]}"));
        assertThat(github.last().query()).isEqualTo("sha=dev&per_page=2&page=1");

        StringBuilder files = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            files.append(i == 0 ? "" : ",").append("{\"filename\":\"f").append(i).append("\",\"status\":\"modified\",\"changes\":1,\"patch\":\"@@\"}");
        }
        github.answer("GET /repos/octo/hello/commits/0123456", "{\"sha\":\"0123456789abcdef\",\"commit\":{\"message\":\"Fix bug\\n\\nDetails\","
                + "\"author\":{\"name\":\"Ann\",\"date\":\"d\"}},\"stats\":{\"additions\":20,\"deletions\":5,\"total\":25},\"files\":[" + files + "]}");
        JsonNode commit = json(call("gh_get_commit", "{\"owner\":\"octo\",\"repo\":\"hello\",\"sha\":\"0123456\"}"));
        assertThat(commit.path("message").asString()).isEqualTo("Fix bug\n\nDetails");
        assertThat(commit.path("stats")).isEqualTo(Json.parse("{\"additions\":20,\"deletions\":5,\"total\":25}"));
        assertThat(commit.path("files")).hasSize(20);
        assertThat(commit.path("files").get(0)).isEqualTo(Json.parse("{\"filename\":\"f0\",\"status\":\"modified\",\"changes\":1}"));
        assertThat(commit.path("files_truncated").asString()).isEqualTo("5 more files not shown");

        github.answer("GET /repos/octo/hello/branches", "[{\"name\":\"main\",\"commit\":{\"sha\":\"fedcba9876\",\"url\":\"u\"},\"protected\":true}]",
                "Link", "<https://api.github.com/repositories/1/branches?per_page=1&page=2>; rel=\"next\"");
        assertThat(json(call("gh_list_branches", "{\"owner\":\"octo\",\"repo\":\"hello\",\"perPage\":1}"))).isEqualTo(Json.parse(
                "{\"items\":[{\"name\":\"main\",\"sha\":\"fedcba9\",\"protected\":true}],\"next_page\":2}"));
    }

    @Test
    void allowlistAppliesToEveryToolAndSearch() {
        GitHubConfig only = config(" Octo/Hello , octo/other", false);
        ToolResult refused = call(only, "gh_get_issue", "{\"owner\":\"evil\",\"repo\":\"corp\",\"issue_number\":1}");
        assertThat(refused.errorType()).isEqualTo(ErrorType.RepoNotAllowed);
        assertThat(refused.value().asString()).isEqualTo("Repository 'evil/corp' is not in the allowed list. Allowed repositories: octo/hello, octo/other");
        assertThat(github.requests).isEmpty();

        call(only, "gh_list_branches", "{\"owner\":\"OCTO\",\"repo\":\"hello\"}");
        assertThat(github.last().path()).isEqualTo("/repos/OCTO/hello/branches");

        github.answer("GET /search/code", "{\"total_count\":0,\"items\":[]}");
        call(only, "gh_search_code", "{\"query\":\"password\"}");
        assertThat(github.last().query()).isEqualTo("q=password%20repo%3Aocto%2Fhello%20repo%3Aocto%2Fother&per_page=10&page=1");
        call(only, "gh_search_code", "{\"query\":\"password repo:Octo/Hello -repo:x/y\"}");
        assertThat(github.last().query()).startsWith("q=password%20repo%3AOcto%2FHello%20-repo%3Ax%2Fy&");

        int sent = github.requests.size();
        for (String query : new String[] {"password repo:evil/corp", "x (repo:evil/corp)", "x repo:\"evil/corp\"", "token org:evil", "x user:evil", "REPO:octo/hello USER:evil"}) {
            ToolResult result = call(only, "gh_search_code", Json.write(Json.object().put("query", query)));
            assertThat(result.errorType()).as(query).isEqualTo(ErrorType.RepoNotAllowed);
            result = call(only, "gh_search_repositories", Json.write(Json.object().put("query", query)));
            assertThat(result.errorType()).as(query).isEqualTo(ErrorType.RepoNotAllowed);
        }
        assertThat(github.requests).hasSize(sent);
    }

    @Test
    void writesAreRefusedUnlessEnabledAndPostTheComment() {
        ToolResult refused = call("gh_add_issue_comment", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1,\"body\":\"hi\"}");
        assertThat(refused.errorType()).isEqualTo(ErrorType.WriteNotAllowed);
        assertThat(refused.value().asString()).contains("SPIN_VARIABLE_ALLOW_WRITES=true");
        assertThat(github.requests).isEmpty();
        runtime.close();
        runtime = null;

        github.answer("POST /repos/octo/hello/issues/1/comments", 201, "{\"id\":77,\"html_url\":\"https://github.com/octo/hello/issues/1#issuecomment-77\","
                + "\"created_at\":\"2024-03-03T00:00:00Z\",\"body\":\"hi\",\"user\":{\"login\":\"bot\"}}");
        JsonNode comment = json(call(config("octo/hello", true), "gh_add_issue_comment", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1,\"body\":\"hi\"}"));
        assertThat(comment).isEqualTo(Json.parse("{\"id\":77,\"url\":\"https://github.com/octo/hello/issues/1#issuecomment-77\",\"created_at\":\"2024-03-03T00:00:00Z\"}"));
        assertThat(github.last().method()).isEqualTo("POST");
        assertThat(Json.parse(github.last().body())).isEqualTo(Json.parse("{\"body\":\"hi\"}"));
        ToolResult elsewhere = call("gh_add_issue_comment", "{\"owner\":\"evil\",\"repo\":\"corp\",\"issue_number\":1,\"body\":\"hi\"}");
        assertThat(elsewhere.errorType()).isEqualTo(ErrorType.RepoNotAllowed);
    }

    @Test
    void errorsMapToRateLimitedAndApiErrorWithGitHubsMessage() {
        github.answer("GET /repos/octo/hello/branches", 403, "{\"message\":\"API rate limit exceeded for user ID 1.\"}",
                "x-ratelimit-remaining", "0", "x-ratelimit-reset", "1700000000");
        ToolResult limited = call("gh_list_branches", "{\"owner\":\"octo\",\"repo\":\"hello\"}");
        assertThat(limited.errorType()).isEqualTo(ErrorType.RateLimited);
        assertThat(limited.value().asString()).isEqualTo("GitHub rate limit exhausted; it resets at 2023-11-14T22:13:20Z");

        github.answer("GET /repos/octo/hello/branches", 429, "{\"message\":\"You have exceeded a secondary rate limit.\"}", "retry-after", "60");
        ToolResult secondary = call("gh_list_branches", "{\"owner\":\"octo\",\"repo\":\"hello\"}");
        assertThat(secondary.errorType()).isEqualTo(ErrorType.RateLimited);
        assertThat(secondary.value().asString()).contains("retry after 60 seconds");

        github.answer("GET /repos/octo/hello/branches", 401, "{\"message\":\"Bad credentials\"}");
        ToolResult bad = call("gh_list_branches", "{\"owner\":\"octo\",\"repo\":\"hello\"}");
        assertThat(bad.errorType()).isEqualTo(ErrorType.APIError);
        assertThat(bad.value().asString()).isEqualTo("GitHub API error (401): Bad credentials");

        github.answer("GET /repos/octo/hello/branches", 403, "{\"message\":\"Resource not accessible by integration\"}", "x-ratelimit-remaining", "4999");
        assertThat(call("gh_list_branches", "{\"owner\":\"octo\",\"repo\":\"hello\"}").value().asString())
                .isEqualTo("GitHub API error (403): Resource not accessible by integration");

        ToolResult missing = call("gh_get_issue", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":404}");
        assertThat(missing.errorType()).isEqualTo(ErrorType.APIError);
        assertThat(missing.value().asString()).isEqualTo("GitHub API error (404): Not Found");
    }

    @Test
    void withoutATokenEveryToolSaysHowToConfigureIt() {
        GitHubComponent component = new GitHubComponent(GitHubConfig.of(null, null, null, github.url()));
        assertThat(component.description()).contains("Degraded").contains("SPIN_VARIABLE_GITHUB_TOKEN");
        runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(component).build();
        ToolResult result = runtime.execute(new ToolCall("s", "github", "gh_list_branches", Json.parse("{\"owner\":\"octo\",\"repo\":\"hello\"}")));
        assertThat(result.errorType()).isEqualTo(ErrorType.APIError);
        assertThat(result.value().asString()).contains("SPIN_VARIABLE_GITHUB_TOKEN").contains("--github-token");
        assertThat(github.requests).isEmpty();
    }

    @Test
    void outboundHttpIsGrantedToTheApiHostOnlyAndTheTokenIsNeverDescribed() {
        GitHubComponent component = new GitHubComponent(config("", false));
        JsonNode described = dev.spindle.core.Capability.describe(component.capabilities());
        assertThat(described.path("outbound_http").path("allowed_hosts")).isEqualTo(Json.array().add(github.url()));
        assertThat(described.path("variables").path("names")).isEqualTo(Json.array().add("github_token"));
        assertThat(Json.write(described)).doesNotContain("t0ken");
    }

    @Test
    void bigResultsAreCutWithAVisibleMarker() {
        github.answer("GET /repos/octo/hello/contents/big.txt", "{\"type\":\"file\",\"encoding\":\"base64\",\"path\":\"big.txt\",\"sha\":\"s\",\"size\":30000,"
                + "\"content\":\"" + Base64.getEncoder().encodeToString("x".repeat(30_000).getBytes()) + "\"}");
        ToolResult result = call("gh_get_file_contents", "{\"owner\":\"octo\",\"repo\":\"hello\",\"path\":\"big.txt\"}");
        assertThat(result.value().asString()).hasSizeLessThan(20_200).contains("…[truncated: 20000 of 300");
    }

    @Test
    void theReferencesElevenToolsWithItsNamesThenOurs() {
        assertThat(new GitHubComponent(config("", false)).tools()).extracting(t -> t.definition().name()).containsExactly(
                "gh_get_file_contents", "gh_search_code", "gh_search_repositories", "gh_list_issues", "gh_get_issue", "gh_list_pull_requests",
                "gh_get_pull_request", "gh_list_commits", "gh_get_commit", "gh_list_branches", "gh_add_issue_comment",
                "gh_get_pull_request_files", "gh_get_pull_request_diff", "gh_list_issue_comments", "gh_get_tree");
        assertThat(new GitHubComponent(config("", false)).tools()).allMatch(t -> t.workload() == Workload.OUTSIDE);
    }
}
