package dev.spindle.github;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Tool;
import dev.spindle.github.tools.AddIssueComment;
import dev.spindle.github.tools.GetCommit;
import dev.spindle.github.tools.GetFileContents;
import dev.spindle.github.tools.GetIssue;
import dev.spindle.github.tools.GetPullRequest;
import dev.spindle.github.tools.GetPullRequestDiff;
import dev.spindle.github.tools.GetPullRequestFiles;
import dev.spindle.github.tools.GetTree;
import dev.spindle.github.tools.ListBranches;
import dev.spindle.github.tools.ListCommits;
import dev.spindle.github.tools.ListIssueComments;
import dev.spindle.github.tools.ListIssues;
import dev.spindle.github.tools.ListPullRequests;
import dev.spindle.github.tools.SearchCode;
import dev.spindle.github.tools.SearchRepositories;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reference's eleven GitHub tools, and four more for reading pull requests, comments and trees,
 * over GitHub's REST API: read-only unless writes are enabled, confined to
 * the repository allowlist, and granted outbound HTTP to the configured API host only. The token is a
 * granted variable, so {@code /components} shows its name, never its value. Read results are kept a
 * minute ({@link ResultCache}).
 */
public final class GitHubComponent implements Component {
    public static final String NAME = "github";
    /** The granted variable holding the token. */
    public static final String TOKEN = "github_token";
    static final String NO_TOKEN = "GitHub token not configured: set SPIN_VARIABLE_GITHUB_TOKEN, or give --github-token to spindle serve, mcp, generate or verify";

    private final GitHubConfig config;
    private final List<Tool> tools;
    private final Map<String, Tool> byName;

    public GitHubComponent(GitHubConfig config) {
        this.config = config;
        GitHubApi api = new GitHubApi(config);
        RepoPolicy policy = new RepoPolicy(config);
        ResultCache cache = new ResultCache();
        this.tools = Stream.of(new GetFileContents(api, policy), new SearchCode(api, policy), new SearchRepositories(api, policy),
                new ListIssues(api, policy), new GetIssue(api, policy), new ListPullRequests(api, policy), new GetPullRequest(api, policy),
                new ListCommits(api, policy), new GetCommit(api, policy), new ListBranches(api, policy), new AddIssueComment(api, policy),
                new GetPullRequestFiles(api, policy), new GetPullRequestDiff(api, policy), new ListIssueComments(api, policy), new GetTree(api, policy))
                .map(cache::wrap).toList();
        this.byName = tools.stream().collect(Collectors.toUnmodifiableMap(t -> t.definition().name(), t -> t));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** What {@code /components} shows: the API, the allowlist, whether writes are on, and a missing token. */
    @Override
    public String description() {
        String repos = config.allowedRepos().isEmpty() ? "all repositories" : String.join(", ", new TreeSet<>(config.allowedRepos()));
        String source = switch (config.recording().mode()) {
            case OFF -> "GitHub REST API at " + config.apiUrl();
            case RECORD -> "GitHub REST API at " + config.apiUrl() + ", answers recorded to " + config.recording().dir();
            case REPLAY -> "GitHub answers replayed from " + config.recording().dir() + " (offline)";
        };
        return source + " (" + repos + "; writes " + (config.allowWrites() ? "enabled" : "disabled") + ")"
                + (warning().map(w -> ". Degraded: " + w).orElse(""));
    }

    /** Without a token (and not replaying) every tool answers how to set one; the health checks say so too. */
    @Override
    public Optional<String> warning() {
        return config.token() == null && !config.replaying() ? Optional.of(NO_TOKEN) : Optional.empty();
    }

    @Override
    public List<Tool> tools() {
        return tools;
    }

    @Override
    public Optional<Tool> tool(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Replaying needs nothing: no outbound HTTP is granted at all. */
    @Override
    public Set<Capability> capabilities() {
        if (config.replaying()) {
            return Set.of();
        }
        AllowedHosts api = AllowedHosts.of(List.of(config.origin()), "the GitHub component only reaches its --github-api-url");
        return config.token() == null ? Set.of(Capability.outbound(api))
                : Set.of(Capability.outbound(api), Capability.variables(Map.of(TOKEN, config.token())));
    }
}
