package dev.spindle.github;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.ErrorType;
import dev.spindle.core.Json;
import dev.spindle.core.SpindleException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * GitHub's REST API as the tools use it: requests built from validated, per-segment encoded parts (so no
 * argument can change the request path or query), answered by the {@link Transport} the configuration
 * chooses (live, recording or replaying), and every failure mapped to a tool error type
 * ({@code RateLimited}, {@code APIError}, {@code Timeout}).
 */
public final class GitHubApi {
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Pattern NEXT_PAGE = Pattern.compile("<[^>]*[?&]page=(\\d+)[^>]*>;\\s*rel=\"next\"");

    private final Transport transport;

    public GitHubApi(GitHubConfig config) {
        this.transport = Transport.of(config);
    }

    /** What the runtime granted the call: where it may connect, and the token variable (null when not configured). */
    public record Grant(AllowedHosts outbound, String token) {}

    /** A GitHub answer: its JSON and, for a paged list, the next page's number. */
    public record Page(JsonNode json, OptionalInt nextPage) {}

    /** A request path under the API root, each segment percent-encoded on its own. */
    public static String path(String... segments) {
        return List.of(segments).stream().map(GitHubApi::encode).map(s -> "/" + s).collect(Collectors.joining());
    }

    /** {@code /repos/OWNER/REPO} plus further segments, with owner and repository name checked. */
    public static String repoPath(String owner, String repo, String... more) {
        if (!OWNER.matcher(owner).matches()) {
            throw invalid("owner", owner, "a GitHub user or organization name (letters, digits, '-')");
        }
        if (!REPO.matcher(repo).matches() || repo.equals(".") || repo.equals("..")) {
            throw invalid("repo", repo, "a repository name (letters, digits, '.', '_', '-')");
        }
        String[] all = new String[more.length + 3];
        all[0] = "repos";
        all[1] = owner;
        all[2] = repo;
        System.arraycopy(more, 0, all, 3, more.length);
        return path(all);
    }

    /** A file path in a repository as encoded segments; {@code .} and {@code ..} segments are refused, empty ones dropped. */
    public static String filePath(String path) {
        return pathSegments(path).stream().map(s -> "/" + encode(s)).collect(Collectors.joining());
    }

    /** A file path's segments, not encoded; {@code .} and {@code ..} segments are refused, empty ones dropped. */
    public static List<String> pathSegments(String path) {
        List<String> segments = new java.util.ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid("path", path, "a path inside the repository, without '.' or '..' segments");
            }
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    static SpindleException invalid(String name, String value, String expected) {
        return new SpindleException(ErrorType.InvalidArguments, "Argument '" + name + "' must be " + expected + ", got '" + value + "'");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GET {@code path} with the query parameters (nulls skipped). */
    public Page get(Grant grant, String path, Map<String, Object> query) {
        return page(transport.send(grant, new Transport.Request("GET", path, queryString(query), null, null)));
    }

    /** GET {@code path} as another media type than JSON (a pull request as {@code application/vnd.github.diff}): its text. */
    public String getText(Grant grant, String path, String mediaType) {
        Transport.Answer answer = transport.send(grant, new Transport.Request("GET", path, "", null, mediaType));
        if (!answer.ok()) {
            throw failure(answer);
        }
        return answer.text();
    }

    /** POST a JSON body to {@code path}. */
    public Page post(Grant grant, String path, JsonNode body) {
        return page(transport.send(grant, new Transport.Request("POST", path, "", Json.write(body), null)));
    }

    /** Query parameters in a stable order, nulls skipped. */
    public static Map<String, Object> query(Object... pairs) {
        Map<String, Object> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                query.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return query;
    }

    private static String queryString(Map<String, Object> query) {
        return query.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(String.valueOf(e.getValue())))
                .collect(Collectors.joining("&"));
    }

    private static Page page(Transport.Answer answer) {
        if (!answer.ok()) {
            throw failure(answer);
        }
        JsonNode json = answer.body().length == 0 ? Json.object() : parse(answer.body());
        var next = answer.header("link").map(NEXT_PAGE::matcher).filter(java.util.regex.Matcher::find)
                .map(m -> OptionalInt.of(Integer.parseInt(m.group(1)))).orElse(OptionalInt.empty());
        return new Page(json, next);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.parse(body);
        } catch (RuntimeException e) {
            throw new SpindleException(ErrorType.APIError, "GitHub answered something that is not JSON");
        }
    }

    /** Primary limit (403/429, no requests remaining), secondary limit (retry-after) or another error with GitHub's message. */
    private static SpindleException failure(Transport.Answer answer) {
        var retryAfter = answer.header("retry-after");
        if (answer.rateLimited() && retryAfter.isPresent()) {
            return new SpindleException(ErrorType.RateLimited, "GitHub secondary rate limit: retry after " + retryAfter.get() + " seconds");
        }
        if (answer.rateLimited()) {
            String reset = answer.header("x-ratelimit-reset").map(GitHubApi::instant).orElse("an unknown time");
            return new SpindleException(ErrorType.RateLimited, "GitHub rate limit exhausted; it resets at " + reset);
        }
        String body = answer.text();
        String message;
        try {
            JsonNode parsed = Json.parse(body).path("message");
            message = parsed.isString() ? parsed.asString() : body;
        } catch (RuntimeException notJson) {
            message = body;
        }
        message = message.length() > 500 ? message.substring(0, 500) + "…" : message;
        return new SpindleException(ErrorType.APIError, "GitHub API error (" + answer.status() + "): " + message);
    }

    private static String instant(String epochSeconds) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(epochSeconds.strip())).toString();
        } catch (NumberFormatException e) {
            return epochSeconds;
        }
    }
}
