package dev.spindle.github;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The repository allowlist and the write switch, applied to every tool before any request leaves. */
public final class RepoPolicy {
    private static final Pattern QUALIFIER = Pattern.compile("(?i)(?<=^|[\\s(])(-?)(repo|org|user|owner):(\"[^\"]*\"|\\S+)");

    private final Set<String> allowed;
    private final boolean writes;

    RepoPolicy(GitHubConfig config) {
        this.allowed = config.allowedRepos();
        this.writes = config.allowWrites();
    }

    /** Refuses ({@code RepoNotAllowed}) a repository outside a non-empty allowlist. */
    public void checkRepo(String owner, String repo) {
        String name = (owner + "/" + repo).toLowerCase();
        if (!allowed.isEmpty() && !allowed.contains(name)) {
            throw new SpindleException(ErrorType.RepoNotAllowed, "Repository '" + owner + "/" + repo
                    + "' is not in the allowed list. Allowed repositories: " + String.join(", ", new TreeSet<>(allowed)));
        }
    }

    /** Refuses ({@code WriteNotAllowed}) a write unless writes are enabled. */
    public void checkWrite(String tool) {
        if (!writes) {
            throw new SpindleException(ErrorType.WriteNotAllowed, "Write operation '" + tool
                    + "' is disabled. Set SPIN_VARIABLE_ALLOW_WRITES=true (or serve --github-allow-writes) to enable it.");
        }
    }

    /**
     * A search query confined to the allowlist: a {@code repo:} qualifier naming another repository, or any
     * {@code org:}/{@code user:}/{@code owner:} qualifier, is refused; a query naming no allowed repository
     * gets one {@code repo:} qualifier per allowed repository (GitHub ORs them).
     */
    public String restrictSearch(String query) {
        if (allowed.isEmpty()) {
            return query;
        }
        boolean namesRepo = false;
        var m = QUALIFIER.matcher(query);
        while (m.find()) {
            if (!m.group(1).isEmpty()) {
                continue; // an exclusion only narrows the search
            }
            String value = m.group(3).replace("\"", "");
            if (!m.group(2).equalsIgnoreCase("repo")) {
                throw new SpindleException(ErrorType.RepoNotAllowed, "Search qualifier '" + m.group(2) + ":" + value
                        + "' is not allowed: searches are limited to the allowed repositories (" + String.join(", ", new TreeSet<>(allowed))
                        + "); use repo:OWNER/NAME with one of them, or no qualifier");
            }
            int slash = value.indexOf('/');
            checkRepo(slash < 0 ? value : value.substring(0, slash), slash < 0 ? "" : value.substring(slash + 1));
            namesRepo = true;
        }
        if (namesRepo) {
            return query;
        }
        StringBuilder restricted = new StringBuilder(query.strip());
        new TreeSet<>(allowed).forEach(r -> restricted.append(" repo:").append(r));
        return restricted.toString().strip();
    }
}
