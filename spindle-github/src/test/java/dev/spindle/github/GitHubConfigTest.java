package dev.spindle.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GitHubConfigTest {
    @Test
    void readsTheReferenceVariablesAndTreatsUnsetSpinPlaceholdersAsUnset() {
        GitHubConfig set = GitHubConfig.fromEnv(Map.of("SPIN_VARIABLE_GITHUB_TOKEN", " ghp_x ", "SPIN_VARIABLE_ALLOWED_REPOS", "Octo/Hello, ,octo/B",
                "SPIN_VARIABLE_ALLOW_WRITES", "TRUE"));
        assertThat(set).isEqualTo(new GitHubConfig("ghp_x", Set.of("octo/hello", "octo/b"), true, java.net.URI.create("https://api.github.com")));

        GitHubConfig placeholders = GitHubConfig.fromEnv(Map.of("SPIN_VARIABLE_GITHUB_TOKEN", "{{ github_token }}",
                "SPIN_VARIABLE_ALLOWED_REPOS", "{{ allowed_repos }}", "SPIN_VARIABLE_ALLOW_WRITES", "yes"));
        assertThat(placeholders.token()).isNull();
        assertThat(placeholders.allowedRepos()).isEmpty();
        assertThat(placeholders.allowWrites()).isFalse();
    }

    @Test
    void flagsOverrideTheVariablesAndTheApiHostIsTheOnlyOrigin() {
        GitHubConfig config = GitHubConfig.fromEnv(Map.of("SPIN_VARIABLE_GITHUB_TOKEN", "env", "SPIN_VARIABLE_ALLOWED_REPOS", "a/b"))
                .with("flag", "c/d", true, "https://ghe.example/api/v3/");
        assertThat(config).isEqualTo(new GitHubConfig("flag", Set.of("c/d"), true, java.net.URI.create("https://ghe.example/api/v3")));
        assertThat(config.origin()).isEqualTo("https://ghe.example:443");
        assertThat(GitHubConfig.fromEnv(Map.of()).with(null, null, null, null).token()).isNull();
        assertThatThrownBy(() -> GitHubConfig.of(null, null, null, "ftp://example.com")).isInstanceOf(IllegalArgumentException.class);
    }
}
