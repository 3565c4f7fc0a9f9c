package dev.spindle.cli;

import dev.spindle.core.ConfigException;
import dev.spindle.github.GitHubConfig;
import dev.spindle.github.Recording;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How the github tools reach GitHub, for {@code serve} and for in-process {@code generate} and {@code verify}.
 * The parameter labels keep each option over picocli's 20-column limit, so adding these options does not
 * narrow the description column of the commands that mix them in.
 */
final class GitHubOptions {
    @Option(names = "--github-token", paramLabel = "GITHUB_TOKEN", description = "Token for the github tools (default: $SPIN_VARIABLE_GITHUB_TOKEN; without one they answer how to set it).")
    String token;

    @Option(names = "--github-allowed-repos", paramLabel = "OWNER/REPO,...",
            description = "Repositories the github tools may reach, search included (default: $SPIN_VARIABLE_ALLOWED_REPOS; empty for all).")
    String allowedRepos;

    @Option(names = "--github-allow-writes", description = "Let gh_add_issue_comment write (default: $SPIN_VARIABLE_ALLOW_WRITES=true, else off).")
    Boolean allowWrites;

    @Option(names = "--github-api-url", paramLabel = "API_URL", description = {"GitHub REST API root; the default is", "https://api.github.com; GitHub Enterprise:", "https://HOST/api/v3."})
    String apiUrl;

    @Option(names = "--github-record", paramLabel = "FOLDER", description = "Save each distinct GitHub answer to FOLDER (one JSON file per request, never the token).")
    Path record;

    @Option(names = "--github-replay", paramLabel = "FOLDER", description = "Answer the github tools only from recordings in FOLDER: offline, no token needed.")
    Path replay;

    /** Whether any of these options was given. */
    boolean given() {
        return token != null || allowedRepos != null || allowWrites != null || apiUrl != null || record != null || replay != null;
    }

    /** The variables ({@code SPIN_VARIABLE_*}) with these options over them; a ConfigException (exit 2) names every problem. */
    GitHubConfig config() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new ConfigException("github", problems);
        }
        Recording recording = record != null ? Recording.recordTo(record) : replay != null ? Recording.replayFrom(replay) : Recording.OFF;
        return GitHubConfig.fromEnv(System.getenv()).with(token, allowedRepos, allowWrites, apiUrl).with(recording);
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (apiUrl != null) {
            try {
                GitHubConfig.of(null, null, null, apiUrl);
            } catch (IllegalArgumentException e) {
                problems.add("--github-api-url: " + e.getMessage());
            }
        }
        if (record != null && replay != null) {
            problems.add("--github-record and --github-replay are exclusive: record a run first, then replay it");
        }
        if (replay != null && !Files.isDirectory(replay)) {
            problems.add("--github-replay: " + replay + " is not a folder of recordings");
        }
        if (record != null && Files.exists(record) && !Files.isDirectory(record)) {
            problems.add("--github-record: " + record + " exists and is not a folder");
        }
        return problems;
    }
}
