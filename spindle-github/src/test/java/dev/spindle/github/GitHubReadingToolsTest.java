package dev.spindle.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.ToolResult;
import dev.spindle.testing.FakeGitHub;
import java.util.Base64;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The tools beyond the reference's eleven: a pull request's files and diff, an issue's comments, a tree, a file at a ref. */
class GitHubReadingToolsTest {
    @AutoClose
    private final GitHubRig rig = new GitHubRig(url -> GitHubConfig.of("t", "octo/hello", null, url));
    private final FakeGitHub github = rig.github;

    private JsonNode json(String tool, String args) {
        ToolResult result = rig.call(tool, args);
        assertThat(result.success()).as(result.value().asString()).isTrue();
        return Json.parse(result.value().asString());
    }

    @Test
    void pullRequestFilesAreCompactPagedAndLongPatchesCut() {
        github.answer("GET /repos/octo/hello/pulls/9/files", "[{\"sha\":\"x\",\"filename\":\"src/a.py\",\"status\":\"modified\",\"additions\":2,\"deletions\":1,"
                + "\"changes\":3,\"blob_url\":\"u\",\"patch\":\"@@ -1 +1,2 @@\\n-a\\n+b\\n+c\"},{\"filename\":\"big.txt\",\"status\":\"added\",\"additions\":5000,"
                + "\"deletions\":0,\"patch\":\"" + "+x\\n".repeat(1500) + "\"}]", "Link", "<https://api.github.com/repositories/1/pulls/9/files?page=2>; rel=\"next\"");
        JsonNode files = json("gh_get_pull_request_files", "{\"owner\":\"octo\",\"repo\":\"hello\",\"pullNumber\":9,\"perPage\":2}");
        assertThat(files.path("items").get(0)).isEqualTo(Json.parse(
                "{\"filename\":\"src/a.py\",\"status\":\"modified\",\"additions\":2,\"deletions\":1,\"patch\":\"@@ -1 +1,2 @@\\n-a\\n+b\\n+c\"}"));
        assertThat(files.path("items").get(1).path("patch").asString()).isEqualTo("+x\n".repeat(1500).substring(0, 2000)
                + "\n…[truncated: characters 0-2000 of 4500 shown; use gh_get_pull_request_diff for the whole diff]");
        assertThat(files.path("next_page").asInt()).isEqualTo(2);
        assertThat(github.last().query()).isEqualTo("per_page=2&page=1");
    }

    @Test
    void theDiffIsAskedAsTheDiffMediaTypeAndReadInSlices() {
        String diff = "diff --git a/f b/f\n" + "+line\n".repeat(3000);
        github.answer("GET /repos/octo/hello/pulls/9 application/vnd.github.diff", diff);
        String first = rig.call("gh_get_pull_request_diff", "{\"owner\":\"octo\",\"repo\":\"hello\",\"pullNumber\":9}").value().asString();
        assertThat(first).startsWith("diff --git a/f b/f\n+line\n")
                .endsWith("\n…[truncated: characters 0-15000 of " + diff.length() + " shown; call again with offset=15000 for more]");
        assertThat(first.substring(0, 15000)).isEqualTo(diff.substring(0, 15000));
        String rest = rig.call("gh_get_pull_request_diff", "{\"owner\":\"octo\",\"repo\":\"hello\",\"pullNumber\":9,\"offset\":15000}").value().asString();
        assertThat(rest).isEqualTo(diff.substring(15000));
        String past = rig.call("gh_get_pull_request_diff", "{\"owner\":\"octo\",\"repo\":\"hello\",\"pullNumber\":9,\"offset\":99999}").value().asString();
        assertThat(past).isEqualTo("…[offset 99999 is past the end: the text has " + diff.length() + " characters]");
        ToolResult missing = rig.call("gh_get_pull_request_diff", "{\"owner\":\"octo\",\"repo\":\"hello\",\"pullNumber\":10}");
        assertThat(missing.errorType()).isEqualTo(ErrorType.APIError);
    }

    @Test
    void issueCommentsAreCompactAndPaged() {
        github.answer("GET /repos/octo/hello/issues/1/comments", "[{\"id\":11,\"user\":{\"login\":\"ann\",\"id\":1},\"body\":\"Same here\","
                + "\"created_at\":\"2024-01-02T00:00:00Z\",\"reactions\":{\"+1\":3},\"html_url\":\"u\"}]");
        assertThat(json("gh_list_issue_comments", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1,\"page\":3}")).isEqualTo(Json.parse(
                "{\"items\":[{\"id\":11,\"author\":\"ann\",\"body\":\"Same here\",\"created_at\":\"2024-01-02T00:00:00Z\"}]}"));
        assertThat(github.last().query()).isEqualTo("per_page=30&page=3");
    }

    @Test
    void theTreeOfADirectoryRecursiveOrNotAtARef() {
        github.answer("GET /repos/octo/hello/git/trees/v1.0", "{\"sha\":\"t\",\"truncated\":false,\"tree\":["
                + "{\"path\":\"README.md\",\"type\":\"blob\",\"size\":10},{\"path\":\"src\",\"type\":\"tree\"},{\"path\":\"src/a.py\",\"type\":\"blob\"},"
                + "{\"path\":\"src/lib\",\"type\":\"tree\"},{\"path\":\"src/lib/b.py\",\"type\":\"blob\"},{\"path\":\"srcx.txt\",\"type\":\"blob\"}]}");
        assertThat(json("gh_get_tree", "{\"owner\":\"octo\",\"repo\":\"hello\",\"ref\":\"v1.0\",\"path\":\"/src/\"}"))
                .isEqualTo(Json.parse("{\"items\":[\"src/a.py\",\"src/lib/\",\"src/lib/b.py\"]}"));
        assertThat(github.last().query()).isEqualTo("recursive=1");
        // one level: one request for that directory, not the whole tree
        github.answer("GET /repos/octo/hello/contents/src", "[{\"type\":\"file\",\"path\":\"src/a.py\",\"name\":\"a.py\"},"
                + "{\"type\":\"dir\",\"path\":\"src/lib\",\"name\":\"lib\"}]");
        assertThat(json("gh_get_tree", "{\"owner\":\"octo\",\"repo\":\"hello\",\"ref\":\"v1.0\",\"path\":\"src\",\"recursive\":false}"))
                .isEqualTo(Json.parse("{\"items\":[\"src/a.py\",\"src/lib/\"]}"));
        assertThat(github.last().path()).isEqualTo("/repos/octo/hello/contents/src");
        assertThat(github.last().query()).isEqualTo("ref=v1.0");
        github.answer("GET /repos/octo/hello/contents", "[{\"type\":\"file\",\"path\":\"README.md\"},{\"type\":\"dir\",\"path\":\"src\"}]");
        assertThat(json("gh_get_tree", "{\"owner\":\"octo\",\"repo\":\"hello\",\"recursive\":false}"))
                .isEqualTo(Json.parse("{\"items\":[\"README.md\",\"src/\"]}"));
        github.answer("GET /repos/octo/hello/contents/README.md", "{\"type\":\"file\",\"path\":\"README.md\"}");
        ToolResult file = rig.call("gh_get_tree", "{\"owner\":\"octo\",\"repo\":\"hello\",\"path\":\"README.md\",\"recursive\":false}");
        assertThat(file.errorType()).isEqualTo(ErrorType.InvalidArguments);
        assertThat(file.result()).contains("is a file, not a directory");

        github.answer("GET /repos/octo/hello/git/trees/HEAD", "{\"truncated\":true,\"tree\":[{\"path\":\"a\",\"type\":\"blob\"}]}");
        JsonNode cut = json("gh_get_tree", "{\"owner\":\"octo\",\"repo\":\"hello\"}");
        assertThat(cut.path("items")).isEqualTo(Json.parse("[\"a\"]"));
        assertThat(cut.path("truncated").asString()).contains("GitHub cut this tree short");
        assertThat(rig.call("gh_get_tree", "{\"owner\":\"octo\",\"repo\":\"hello\",\"path\":\"src/../..\"}").errorType()).isEqualTo(ErrorType.InvalidArguments);
    }

    @Test
    void aLargeTreeIsPaged() {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < 1200; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"path\":\"f").append(i).append("\",\"type\":\"blob\"}");
        }
        github.answer("GET /repos/octo/hello/git/trees/HEAD", "{\"tree\":[" + entries + "]}");
        JsonNode first = json("gh_get_tree", "{\"owner\":\"octo\",\"repo\":\"hello\"}");
        assertThat(first.path("items")).hasSize(500);
        assertThat(first.path("next_page").asInt()).isEqualTo(2);
        JsonNode last = json("gh_get_tree", "{\"owner\":\"octo\",\"repo\":\"hello\",\"page\":3}");
        assertThat(last.path("items")).hasSize(200);
        assertThat(last.path("items").get(0).asString()).isEqualTo("f1000");
        assertThat(last.has("next_page")).isFalse();
    }

    @Test
    void aFileAtABranchWithASlashAndHostileRefsStayInTheQuery() {
        github.answer("GET /repos/octo/hello/contents/README.md", "{\"type\":\"file\",\"encoding\":\"base64\",\"path\":\"README.md\",\"sha\":\"r\",\"size\":3,"
                + "\"content\":\"" + Base64.getEncoder().encodeToString("old".getBytes()) + "\"}");
        assertThat(json("gh_get_file_contents", "{\"owner\":\"octo\",\"repo\":\"hello\",\"path\":\"README.md\",\"ref\":\"release/1.x\"}").path("content").asString())
                .isEqualTo("old");
        assertThat(github.last().query()).isEqualTo("ref=release%2F1.x");
        rig.call("gh_get_tree", "{\"owner\":\"octo\",\"repo\":\"hello\",\"ref\":\"../../x?y#z\"}");
        assertThat(github.last().path()).isEqualTo("/repos/octo/hello/git/trees/..%2F..%2Fx%3Fy%23z");
    }

    @Test
    void theNewToolsAreBehindTheAllowlist() {
        for (String tool : new String[] {"gh_get_pull_request_files", "gh_get_pull_request_diff"}) {
            assertThat(rig.call(tool, "{\"owner\":\"evil\",\"repo\":\"corp\",\"pullNumber\":1}").errorType()).as(tool).isEqualTo(ErrorType.RepoNotAllowed);
        }
        assertThat(rig.call("gh_list_issue_comments", "{\"owner\":\"evil\",\"repo\":\"corp\",\"issue_number\":1}").errorType()).isEqualTo(ErrorType.RepoNotAllowed);
        assertThat(rig.call("gh_get_tree", "{\"owner\":\"evil\",\"repo\":\"corp\"}").errorType()).isEqualTo(ErrorType.RepoNotAllowed);
        assertThat(github.requests).isEmpty();
    }
}
