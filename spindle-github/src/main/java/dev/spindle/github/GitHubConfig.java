package dev.spindle.github;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the GitHub component reaches GitHub and what it may do there.
 *
 * @param token bearer token; null when not configured (every tool then says how to configure it)
 * @param allowedRepos lowercase {@code owner/repo} names; empty allows every repository
 * @param allowWrites whether write tools (commenting) may run
 * @param apiUrl the REST API root, without a trailing slash (GitHub Enterprise: {@code https://HOST/api/v3})
 * @param recording whether answers are saved to, or served only from, a folder
 */
public record GitHubConfig(String token, Set<String> allowedRepos, boolean allowWrites, URI apiUrl, Recording recording) {
    public static final String DEFAULT_API_URL = "https://api.github.com";

    public GitHubConfig {
        token = token == null || token.isBlank() || token.contains("{{") ? null : token.strip(); // unset Spin placeholders
        allowedRepos = Set.copyOf(new TreeSet<>(allowedRepos));
        String url = apiUrl.toString().replaceAll("/+$", "");
        apiUrl = URI.create(url);
        if (apiUrl.getHost() == null || !apiUrl.getScheme().matches("https?")) {
            throw new IllegalArgumentException("GitHub API URL must be http(s)://host[/path], got " + url);
        }
        recording = recording == null ? Recording.OFF : recording;
    }

    public GitHubConfig(String token, Set<String> allowedRepos, boolean allowWrites, URI apiUrl) {
        this(token, allowedRepos, allowWrites, apiUrl, Recording.OFF);
    }

    /** The reference's variables: {@code SPIN_VARIABLE_GITHUB_TOKEN}, {@code _ALLOWED_REPOS}, {@code _ALLOW_WRITES}. */
    public static GitHubConfig fromEnv(Map<String, String> env) {
        return of(env.get("SPIN_VARIABLE_GITHUB_TOKEN"), env.get("SPIN_VARIABLE_ALLOWED_REPOS"),
                env.get("SPIN_VARIABLE_ALLOW_WRITES"), DEFAULT_API_URL);
    }

    /** From configuration text: a comma list of repositories ({@code {{ allowed_repos }}} or blank for all), "true" for writes. */
    public static GitHubConfig of(String token, String allowedRepos, String allowWrites, String apiUrl) {
        return new GitHubConfig(token, parseRepos(allowedRepos), "true".equalsIgnoreCase(allowWrites == null ? "" : allowWrites.strip()),
                URI.create(apiUrl == null ? DEFAULT_API_URL : apiUrl));
    }

    /** This configuration with the non-null overrides (serve flags) applied. */
    public GitHubConfig with(String token, String allowedRepos, Boolean allowWrites, String apiUrl) {
        return new GitHubConfig(token != null ? token : this.token, allowedRepos != null ? parseRepos(allowedRepos) : this.allowedRepos,
                allowWrites != null ? allowWrites : this.allowWrites, apiUrl != null ? URI.create(apiUrl) : this.apiUrl, recording);
    }

    /** This configuration, recording or replaying as {@code recording} says. */
    public GitHubConfig with(Recording recording) {
        return new GitHubConfig(token, allowedRepos, allowWrites, apiUrl, recording);
    }

    /** Whether answers come from recordings only: then no token is needed and nothing is sent. */
    public boolean replaying() {
        return recording.mode() == Recording.Mode.REPLAY;
    }

    private static Set<String> parseRepos(String list) {
        if (list == null || list.contains("{{")) {
            return Set.of();
        }
        return Set.copyOf(Arrays.stream(list.split(",")).map(s -> s.strip().toLowerCase()).filter(s -> !s.isEmpty()).toList());
    }

    /** The one origin outbound HTTP is granted to, as an allowed-hosts pattern. */
    String origin() {
        return origin(apiUrl);
    }

    /** {@code scheme://host:port} of an address, lowercase, with the default port made explicit. */
    static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String host = uri.getHost().toLowerCase(java.util.Locale.ROOT);
        return scheme + "://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
