package dev.spindle.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Json;
import dev.spindle.core.runtime.ToolRuntime;
import dev.spindle.core.store.MemoryStore;
import dev.spindle.server.ServerConfig;
import dev.spindle.server.SpindleServer;
import dev.spindle.testing.FakeGitHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The github component served by a real Spindle server, called over HTTP as DeepFabric calls it. */
class GitHubOverHttpTest {
    @Test
    void executeOverHttpAndComponentsNeverShowTheToken() throws Exception {
        try (FakeGitHub github = new FakeGitHub();
                ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore())
                        .withComponent(new GitHubComponent(GitHubConfig.of("s3cret-token", "octo/hello", null, github.url()))).build();
                HttpClient http = HttpClient.newHttpClient()) {
            SpindleServer server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1).withWorkers(4));
            try {
                String base = "http://127.0.0.1:" + server.port();
                github.answer("GET /repos/octo/hello/branches", "[{\"name\":\"main\",\"commit\":{\"sha\":\"fedcba9876\"},\"protected\":false}]");
                String ok = post(http, base + "/github/execute", "{\"session_id\":\"s\",\"tool\":\"gh_list_branches\",\"args\":{\"owner\":\"octo\",\"repo\":\"hello\"}}");
                assertThat(Json.parse(ok)).isEqualTo(Json.parse(
                        "{\"success\":true,\"result\":\"{\\\"items\\\":[{\\\"name\\\":\\\"main\\\",\\\"sha\\\":\\\"fedcba9\\\",\\\"protected\\\":false}]}\"}"));
                String refused = post(http, base + "/github/execute", "{\"session_id\":\"s\",\"tool\":\"gh_search_code\",\"args\":{\"query\":\"x org:evil\"}}");
                assertThat(Json.parse(refused).path("error_type").asString()).isEqualTo("RepoNotAllowed");
                String components = http.send(HttpRequest.newBuilder(URI.create(base + "/components")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(components).contains("github_token").contains(github.url()).doesNotContain("s3cret-token");
                assertThat(github.requests).hasSize(1);
                assertThat(Json.parse(get(http, base + "/github/health")).has("warnings")).as("a token is set").isFalse();
            } finally {
                server.close();
            }
        }
    }

    @Test
    void withoutATokenTheHealthChecksSayHowToSetOneAndStayHealthy() throws Exception {
        try (ToolRuntime runtime = ToolRuntime.builder().withStore(new MemoryStore())
                        .withComponent(new GitHubComponent(GitHubConfig.of(null, "octo/hello", null, "http://127.0.0.1:9"))).build();
                HttpClient http = HttpClient.newHttpClient()) {
            SpindleServer server = SpindleServer.start(runtime, ServerConfig.DEFAULTS.withPort(0).withEventLoops(1));
            try {
                String base = "http://127.0.0.1:" + server.port();
                for (String health : new String[] {"/health", "/github/health"}) {
                    var answer = Json.parse(get(http, base + health));
                    assertThat(answer.path("status").asString()).isEqualTo("healthy");
                    assertThat(answer.path("warnings").path("github").asString()).contains("SPIN_VARIABLE_GITHUB_TOKEN").contains("--github-token");
                }
            } finally {
                server.close();
            }
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String post(HttpClient http, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
