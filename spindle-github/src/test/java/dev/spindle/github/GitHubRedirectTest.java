package dev.spindle.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.ToolResult;
import dev.spindle.testing.FakeGitHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** A renamed or transferred repository answers 301 or 307: followed a few times, and only to the API host. */
class GitHubRedirectTest {
    @AutoClose
    private final GitHubRig rig = new GitHubRig(url -> GitHubConfig.of("t0ken", null, "true", url));
    private final FakeGitHub github = rig.github;
    private final FakeGitHub elsewhere = new FakeGitHub();

    GitHubRedirectTest() throws Exception {}

    @AfterEach
    void stop() {
        elsewhere.close();
    }

    @Test
    void aMovedRepositoryIsFollowedWithTheTokenAndAWriteKeepsItsMethodOn307() {
        github.answer("GET /repos/octo/old/issues/1", 301, "{\"message\":\"Moved Permanently\"}", "Location", github.url() + "/repositories/42/issues/1")
                .answer("GET /repositories/42/issues/1", "{\"number\":1,\"title\":\"Moved\",\"state\":\"open\",\"user\":{\"login\":\"ann\"}}");
        ToolResult issue = rig.call("gh_get_issue", "{\"owner\":\"octo\",\"repo\":\"old\",\"issue_number\":1}");
        assertThat(Json.parse(issue.value().asString()).path("title").asString()).isEqualTo("Moved");
        assertThat(github.requests).extracting(FakeGitHub.Request::path).containsExactly("/repos/octo/old/issues/1", "/repositories/42/issues/1");
        assertThat(github.last().authorization()).isEqualTo("Bearer t0ken");

        github.answer("POST /repos/octo/old/issues/1/comments", 307, "", "Location", "/repositories/42/issues/1/comments")
                .answer("POST /repositories/42/issues/1/comments", 201, "{\"id\":5,\"html_url\":\"u\",\"created_at\":\"t\"}");
        ToolResult comment = rig.call("gh_add_issue_comment", "{\"owner\":\"octo\",\"repo\":\"old\",\"issue_number\":1,\"body\":\"hi\"}");
        assertThat(Json.parse(comment.value().asString()).path("id").asInt()).isEqualTo(5);
        assertThat(github.last().method()).isEqualTo("POST");
        assertThat(Json.parse(github.last().body())).isEqualTo(Json.parse("{\"body\":\"hi\"}"));
    }

    @Test
    void aRedirectToAnotherHostIsNotFollowedAndTheTokenNeverLeaves() {
        github.answer("GET /repos/octo/old/branches", 301, "{}", "Location", elsewhere.url() + "/steal");
        ToolResult result = rig.call("gh_list_branches", "{\"owner\":\"octo\",\"repo\":\"old\"}");
        assertThat(result.errorType()).isEqualTo(ErrorType.APIError);
        assertThat(result.value().asString()).isEqualTo("GitHub redirected GET /repos/octo/old/branches?per_page=30&page=1 to "
                + elsewhere.url() + ", which is not the configured API host " + github.url() + "; not followed");
        assertThat(elsewhere.requests).isEmpty();
    }

    @Test
    void aRedirectLoopStopsAfterThreeHops() {
        github.answer("GET /repos/octo/loop/branches", 301, "{}", "Location", github.url() + "/repos/octo/loop/branches");
        ToolResult result = rig.call("gh_list_branches", "{\"owner\":\"octo\",\"repo\":\"loop\"}");
        assertThat(result.errorType()).isEqualTo(ErrorType.APIError);
        assertThat(result.value().asString()).contains("more than 3 times");
        assertThat(github.requests).hasSize(4);
    }
}
