package dev.spindle.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.ToolCall;
import dev.spindle.core.ToolResult;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.testing.Allocation;
import dev.spindle.testing.FakeGitHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** --github-record saves GitHub's answers; --github-replay serves them with the server gone, with identical results. */
class GitHubRecordingTest {
    @TempDir
    Path dir;

    /** One call of every tool (and one GitHub refuses), with the answers a fake GitHub gives them. */
    static final List<String[]> CALLS = List.of(
            new String[] {"gh_get_file_contents", "{\"owner\":\"octo\",\"repo\":\"hello\",\"path\":\"src/a b.txt\",\"ref\":\"dev\"}"},
            new String[] {"gh_get_file_contents", "{\"owner\":\"octo\",\"repo\":\"hello\"}"},
            new String[] {"gh_search_code", "{\"query\":\"def main\",\"perPage\":5}"},
            new String[] {"gh_search_repositories", "{\"query\":\"hello\"}"},
            new String[] {"gh_list_issues", "{\"owner\":\"octo\",\"repo\":\"hello\",\"state\":\"all\"}"},
            new String[] {"gh_get_issue", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1}"},
            new String[] {"gh_get_issue", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":404}"},
            new String[] {"gh_list_pull_requests", "{\"owner\":\"octo\",\"repo\":\"hello\"}"},
            new String[] {"gh_get_pull_request", "{\"owner\":\"octo\",\"repo\":\"hello\",\"pullNumber\":9}"},
            new String[] {"gh_list_commits", "{\"owner\":\"octo\",\"repo\":\"hello\"}"},
            new String[] {"gh_get_commit", "{\"owner\":\"octo\",\"repo\":\"hello\",\"sha\":\"abc\"}"},
            new String[] {"gh_list_branches", "{\"owner\":\"octo\",\"repo\":\"hello\",\"perPage\":1}"},
            new String[] {"gh_add_issue_comment", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1,\"body\":\"Looking into it\"}"},
            new String[] {"gh_get_pull_request_files", "{\"owner\":\"octo\",\"repo\":\"hello\",\"pullNumber\":9}"},
            new String[] {"gh_get_pull_request_diff", "{\"owner\":\"octo\",\"repo\":\"hello\",\"pullNumber\":9}"},
            new String[] {"gh_list_issue_comments", "{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1}"},
            new String[] {"gh_get_tree", "{\"owner\":\"octo\",\"repo\":\"hello\",\"path\":\"src\"}"});

    static FakeGitHub answering(FakeGitHub github) {
        String content = Base64.getMimeEncoder().encodeToString("héllo\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)).replace("\r\n", "\\n");
        String pr = "{\"number\":9,\"title\":\"Fix\",\"state\":\"open\",\"user\":{\"login\":\"ann\"},\"head\":{\"ref\":\"fix\"},\"base\":{\"ref\":\"main\"},\"draft\":false,\"created_at\":\"c\"";
        return github.answer("GET /repos/octo/hello/contents/src/a%20b.txt", "{\"type\":\"file\",\"encoding\":\"base64\",\"path\":\"src/a b.txt\",\"sha\":\"s1\",\"size\":7,\"content\":\"" + content + "\"}")
                .answer("GET /repos/octo/hello/contents", "[{\"name\":\"src\",\"type\":\"dir\",\"path\":\"src\"},{\"name\":\"README.md\",\"type\":\"file\",\"path\":\"README.md\"}]")
                .answer("GET /search/code", "{\"total_count\":41,\"items\":[{\"name\":\"a.py\",\"path\":\"lib/a.py\",\"repository\":{\"full_name\":\"octo/hello\"},\"html_url\":\"u\"}]}",
                        "Link", "<https://api.github.com/search/code?q=x&page=2>; rel=\"next\"")
                .answer("GET /search/repositories", "{\"total_count\":1,\"items\":[{\"full_name\":\"octo/hello\",\"description\":null,\"stargazers_count\":7}]}")
                .answer("GET /repos/octo/hello/issues", "[{\"number\":1,\"title\":\"Bug\",\"state\":\"open\",\"user\":{\"login\":\"ann\"},\"labels\":[{\"name\":\"bug\"}]}]")
                .answer("GET /repos/octo/hello/issues/1", "{\"number\":1,\"title\":\"Bug\",\"body\":\"It breaks\",\"state\":\"open\",\"user\":{\"login\":\"ann\"},\"labels\":[],\"assignees\":[]}")
                .answer("GET /repos/octo/hello/pulls", "[" + pr + "}]")
                .answer("GET /repos/octo/hello/pulls/9", pr + ",\"body\":\"Fixes #1\",\"mergeable\":null,\"additions\":5}")
                .answer("GET /repos/octo/hello/commits", "[{\"sha\":\"0123456789\",\"commit\":{\"message\":\"Fix\\n\\nmore\",\"author\":{\"name\":\"Ann\",\"date\":\"d\"}}}]")
                .answer("GET /repos/octo/hello/commits/abc", "{\"sha\":\"abc\",\"commit\":{\"message\":\"m\"},\"stats\":{\"total\":1},\"files\":[{\"filename\":\"f\",\"status\":\"added\",\"changes\":1}]}")
                .answer("GET /repos/octo/hello/branches", "[{\"name\":\"main\",\"commit\":{\"sha\":\"fedcba9876\"},\"protected\":true}]",
                        "Link", "<https://api.github.com/repositories/1/branches?per_page=1&page=2>; rel=\"next\"")
                .answer("GET /repos/octo/hello/pulls/9/files", "[{\"filename\":\"a.py\",\"status\":\"added\",\"additions\":1,\"patch\":\"+x\"}]")
                .answer("GET /repos/octo/hello/pulls/9 application/vnd.github.diff", "diff --git a/a.py b/a.py\n+x\n")
                .answer("GET /repos/octo/hello/issues/1/comments", "[{\"id\":3,\"user\":{\"login\":\"bo\"},\"body\":\"+1\"}]")
                .answer("GET /repos/octo/hello/git/trees/HEAD", "{\"tree\":[{\"path\":\"src\",\"type\":\"tree\"},{\"path\":\"src/a.py\",\"type\":\"blob\"}]}")
                .answer("POST /repos/octo/hello/issues/1/comments", 201, "{\"id\":77,\"html_url\":\"https://github.com/octo/hello/issues/1#issuecomment-77\",\"created_at\":\"t\"}");
    }

    private static List<ToolResult> callAll(GitHubConfig config) {
        try (ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new GitHubComponent(config)).build()) {
            List<ToolResult> results = new ArrayList<>();
            for (String[] call : CALLS) {
                results.add(runtime.execute(new ToolCall("s", "github", call[0], Json.parse(call[1]))));
            }
            return results;
        }
    }

    @Test
    void recordedAnswersReplayWithIdenticalResultsWithTheServerStoppedAndNoToken() throws Exception {
        List<ToolResult> live;
        String url;
        try (FakeGitHub github = answering(new FakeGitHub())) {
            url = github.url();
            live = callAll(GitHubConfig.of("s3cret-token", "octo/hello", "true", url).with(Recording.recordTo(dir)));
            assertThat(github.requests).hasSize(CALLS.size());
        }
        assertThat(live).filteredOn(ToolResult::success).hasSize(CALLS.size() - 1);
        assertThat(live.get(6).errorType()).isEqualTo(ErrorType.APIError);

        List<ToolResult> replayed = callAll(GitHubConfig.of(null, "octo/hello", "true", url).with(Recording.replayFrom(dir)));

        assertThat(replayed).isEqualTo(live);
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.toList();
        }
        assertThat(files).hasSize(CALLS.size());
        for (Path file : files) {
            assertThat(Files.readString(file)).doesNotContain("s3cret-token");
        }
        String issues = Files.readString(files.stream().filter(f -> f.getFileName().toString().matches("GET_repos_octo_hello_issues_[0-9a-f]{16}\\.json")).findFirst().orElseThrow());
        assertThat(Json.parse(issues).path("request")).isEqualTo(Json.parse("{\"method\":\"GET\",\"path\":\"/repos/octo/hello/issues\",\"query\":\"state=all&per_page=10&page=1\"}"));
        assertThat(Json.parse(issues).path("body").get(0).path("title").asString()).as("the body is JSON a person can read and edit").isEqualTo("Bug");
        JsonNode diff = files.stream().map(GitHubRecordingTest::read).filter(r -> r.path("request").has("accept")).findFirst().orElseThrow();
        assertThat(diff.path("request").path("accept").asString()).isEqualTo("application/vnd.github.diff");
        assertThat(diff.path("body_text").asString()).as("a diff is kept as text").isEqualTo("diff --git a/a.py b/a.py\n+x\n");
        String comment = Files.readString(files.stream().filter(f -> f.getFileName().toString().startsWith("POST_")).findFirst().orElseThrow());
        assertThat(Json.parse(comment).path("request").path("body")).isEqualTo(Json.parse("{\"body\":\"Looking into it\"}"));
    }

    private static JsonNode read(Path file) {
        try {
            return Json.parse(Files.readString(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aRequestNotRecordedIsAnApiErrorNamingItAndTheFlag() {
        try (ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore())
                .withComponent(new GitHubComponent(GitHubConfig.of(null, null, null, "http://127.0.0.1:9").with(Recording.replayFrom(dir)))).build()) {
            ToolResult result = runtime.execute(new ToolCall("s", "github", "gh_list_branches", Json.parse("{\"owner\":\"octo\",\"repo\":\"hello\"}")));
            assertThat(result.errorType()).isEqualTo(ErrorType.APIError);
            assertThat(result.value().asString()).isEqualTo("No recorded GitHub answer for GET /repos/octo/hello/branches?per_page=30&page=1 in " + dir
                    + " (--github-replay answers only requests saved by --github-record)");
        }
    }

    @Test
    void anEditedAnswerIsServedAndAnEditedRequestIsRefused() throws Exception {
        try (FakeGitHub github = answering(new FakeGitHub())) {
            callAll(GitHubConfig.of("t", null, null, github.url()).with(Recording.recordTo(dir)));
        }
        Path issue;
        try (Stream<Path> listed = Files.list(dir)) {
            issue = listed.filter(f -> f.getFileName().toString().matches("GET_repos_octo_hello_issues_1_[0-9a-f]{16}\\.json")).findFirst().orElseThrow();
        }
        Files.writeString(issue, Files.readString(issue).replace("It breaks", "It works"));
        GitHubConfig replay = GitHubConfig.of(null, null, null, "http://127.0.0.1:9").with(Recording.replayFrom(dir));
        try (ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new GitHubComponent(replay)).build()) {
            ToolCall call = new ToolCall("s", "github", "gh_get_issue", Json.parse("{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1}"));
            assertThat(Json.parse(runtime.execute(call).value().asString()).path("body").asString()).isEqualTo("It works");
        }
        Files.writeString(issue, Files.readString(issue).replace("/repos/octo/hello/issues/1", "/repos/octo/hello/issues/2"));
        try (ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new GitHubComponent(replay)).build()) {
            ToolCall call = new ToolCall("s", "github", "gh_get_issue", Json.parse("{\"owner\":\"octo\",\"repo\":\"hello\",\"issue_number\":1}"));
            ToolResult edited = runtime.execute(call);
            assertThat(edited.errorType()).isEqualTo(ErrorType.IOError);
            assertThat(edited.value().asString()).contains("is not the answer to GET /repos/octo/hello/issues/1");
        }
    }

    @Test
    @Timeout(60)
    void aReplayReadsRegularFilesOnlyNeverThroughALinkAndNeverPastItsCap() throws Exception {
        try (FakeGitHub github = answering(new FakeGitHub())) {
            callAll(GitHubConfig.of("t", null, null, github.url()).with(Recording.recordTo(dir)));
        }
        Map<String, Path> recordings = new HashMap<>();
        try (Stream<Path> listed = Files.list(dir)) {
            listed.forEach(file -> recordings.put(file.getFileName().toString().replaceAll("_[0-9a-f]{16}\\.json$", ""), file));
        }
        replace(recordings.get("GET_repos_octo_hello_issues_1"), file -> Files.createSymbolicLink(file, Path.of("/etc/passwd")));
        replace(recordings.get("GET_repos_octo_hello_commits_abc"), file -> Files.createSymbolicLink(file, recordings.get("GET_repos_octo_hello_issues").getFileName()));
        replace(recordings.get("GET_repos_octo_hello_commits"), file -> Files.createSymbolicLink(file, Path.of("/dev/zero")));
        replace(recordings.get("GET_repos_octo_hello_branches"), file -> new ProcessBuilder("mkfifo", file.toString()).start().waitFor());
        replace(recordings.get("GET_repos_octo_hello_issues_1_comments"), file -> Files.write(file, new byte[(int) Recordings.MAX_RECORDING_BYTES + 1]));
        long allocated = Allocation.ofAllThreads();
        List<ToolResult> replayed = callAll(GitHubConfig.of(null, "octo/hello", "true", "http://127.0.0.1:9").with(Recording.replayFrom(dir))); // a FIFO opened would block here
        assertThat(Allocation.ofAllThreads() - allocated).as("bytes allocated: /dev/zero and the 16 MiB file were not read").isLessThan(16L << 20);
        Map<Integer, String> refused = new HashMap<>();
        for (int i = 0; i < CALLS.size(); i++) {
            assertThat(replayed.get(i).result()).doesNotContain("root:");
            if (replayed.get(i).errorType() == ErrorType.IOError) {
                refused.put(i, replayed.get(i).result());
            }
        }
        assertThat(refused.keySet()).containsExactlyInAnyOrder(5, 9, 10, 11, 15);
        assertThat(refused.get(5)).as("a link to /etc/passwd").contains("is a symbolic link, not a regular file");
        assertThat(refused.get(9)).as("a link to /dev/zero").contains("is a symbolic link, not a regular file");
        assertThat(refused.get(10)).as("a link to another recording").contains("is a symbolic link, not a regular file");
        assertThat(refused.get(11)).as("a FIFO").contains("is a special file (a FIFO, socket or device)");
        assertThat(refused.get(15)).as("a file over the cap").contains("is 16777217 bytes; the limit is 16777216 bytes");
        assertThat(replayed.get(4).success()).as("the recording linked to still replays").isTrue();
    }

    private interface Replacement {
        void make(Path file) throws Exception;
    }

    private static void replace(Path recording, Replacement replacement) throws Exception {
        Files.delete(recording);
        replacement.make(recording);
    }

    @Test
    void rateLimitedAnswersAreNotRecorded() throws Exception {
        try (FakeGitHub github = new FakeGitHub()) {
            github.answer("GET /repos/octo/hello/branches", 429, "{\"message\":\"secondary\"}", "retry-after", "60");
            GitHubConfig config = GitHubConfig.of("t", null, null, github.url()).with(Recording.recordTo(dir));
            try (ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore()).withComponent(new GitHubComponent(config)).build()) {
                ToolResult result = runtime.execute(new ToolCall("s", "github", "gh_list_branches", Json.parse("{\"owner\":\"octo\",\"repo\":\"hello\"}")));
                assertThat(result.errorType()).isEqualTo(ErrorType.RateLimited);
            }
        }
        try (Stream<Path> listed = Files.list(dir)) {
            assertThat(listed).isEmpty();
        }
    }

    @Test
    void replayingGrantsNoOutboundHttpAndNeedsNoToken() {
        GitHubComponent component = new GitHubComponent(GitHubConfig.of(null, null, null, "http://127.0.0.1:9").with(Recording.replayFrom(dir)));
        assertThat(component.capabilities()).isEmpty();
        assertThat(component.warning()).isEmpty();
        assertThat(component.description()).contains("replayed from " + dir);
    }
}
