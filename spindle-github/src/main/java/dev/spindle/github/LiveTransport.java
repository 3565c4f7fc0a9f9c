package dev.spindle.github;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * GitHub's API over HTTP, with the token. Redirects (a renamed or transferred repository answers 301 or
 * 307) are followed by hand, at most {@link #MAX_REDIRECTS}, and only to the configured API host: the
 * token is never sent anywhere else.
 */
final class LiveTransport implements Transport {
    static final int MAX_REDIRECTS = 3;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI apiUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    LiveTransport(URI apiUrl) {
        this.apiUrl = apiUrl;
    }

    @Override
    public Answer send(GitHubApi.Grant grant, Request request) {
        if (grant.token() == null) {
            throw new SpindleException(ErrorType.APIError, GitHubComponent.NO_TOKEN);
        }
        URI uri = URI.create(apiUrl + request.path() + (request.query().isEmpty() ? "" : "?" + request.query()));
        String method = request.method();
        String body = request.body();
        for (int redirects = 0; ; redirects++) {
            grant.outbound().check(uri);
            HttpResponse<byte[]> response = exchange(grant.token(), uri, method, body, request.accept());
            var location = response.headers().firstValue("location");
            if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
                return answer(response);
            }
            if (redirects == MAX_REDIRECTS) {
                throw new SpindleException(ErrorType.APIError, "GitHub redirected " + request.line() + " more than " + MAX_REDIRECTS + " times; not followed further");
            }
            URI next = resolve(uri, location.get());
            if (!GitHubConfig.origin(next).equals(GitHubConfig.origin(apiUrl))) {
                throw new SpindleException(ErrorType.APIError, "GitHub redirected " + request.line() + " to " + GitHubConfig.origin(next)
                        + ", which is not the configured API host " + GitHubConfig.origin(apiUrl) + "; not followed");
            }
            if (response.statusCode() < 307) { // 301, 302, 303: the next request is a GET, as browsers do; 307 and 308 repeat it
                method = "GET";
                body = null;
            }
            uri = next;
        }
    }

    private static URI resolve(URI from, String location) {
        try {
            URI next = from.resolve(location);
            if (next.getHost() == null || next.getScheme() == null) {
                throw new IllegalArgumentException("no host");
            }
            return next;
        } catch (IllegalArgumentException e) {
            throw new SpindleException(ErrorType.APIError, "GitHub redirected to an unusable location '" + location + "'");
        }
    }

    private HttpResponse<byte[]> exchange(String token, URI uri, String method, String body, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", accept == null ? Request.JSON : accept)
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "Spindle-GitHub/1.0");
        if (body != null) {
            builder.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new SpindleException(ErrorType.Timeout, "GitHub did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new SpindleException(ErrorType.APIError, "GitHub API unreachable at " + apiUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpindleException(ErrorType.Timeout, "GitHub request interrupted");
        }
    }

    private static Answer answer(HttpResponse<byte[]> response) {
        Map<String, String> headers = new TreeMap<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (Answer.KEPT_HEADERS.contains(lower) && !values.isEmpty()) {
                headers.put(lower, values.getFirst());
            }
        });
        return new Answer(response.statusCode(), headers, response.body());
    }
}
